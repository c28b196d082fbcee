// A real xDS peer: @grpc/grpc-js-xds, bootstrapped against an ADS server that serves what we generate for a proxyless
// client, makes gRPC calls that must land on the backends named by our EDS, follow the MeshHTTPRoute split and stop
// at the MeshTimeout.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import type { PolicyResource } from "@zonemesh/resources";
import { SnapshotCache, createAdsServer } from "@zonemesh/xds";
import { generateProxyResources } from "./generate";
import type { DataplaneResource } from "./input";
import { GreeterClient, greeterSplitSpec, greeterTimeoutSpec, startGreeter } from "../server/testing/greeter";
import { allocateVips } from "./vips";

const cache = new SnapshotCache();
const ads = createAdsServer({ cache });
const adsPort = await ads.listen("127.0.0.1:0");
const [v1, v2] = await Promise.all([startGreeter("v1"), startGreeter("v2")]);

const nodeId = "client-1";
process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
  xds_servers: [{ server_uri: `127.0.0.1:${adsPort}`, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
  node: { id: nodeId, locality: { zone: "zone-1" } },
});
createRequire(import.meta.url)("@grpc/grpc-js-xds").register();
const client = new GreeterClient("xds:///greeter");

after(async () => {
  client.close();
  v1.server.forceShutdown();
  v2.server.forceShutdown();
  await ads.close();
});

const dataplane = (name: string, port: number, tags: Record<string, string>): DataplaneResource => ({
  type: "Dataplane",
  mesh: "default",
  name,
  labels: { "kuma.io/zone": "zone-1" },
  body: { networking: { address: "127.0.0.1", inbound: [{ port, tags: { "kuma.io/protocol": "grpc", ...tags } }] } },
});
const dataplanes = [
  dataplane("client-1", 7000, { "kuma.io/service": "client" }),
  dataplane("greeter-v1", v1.port, { "kuma.io/service": "greeter", version: "v1" }),
  dataplane("greeter-v2", v2.port, { "kuma.io/service": "greeter", version: "v2" }),
];
const policy = (type: string, name: string, spec: object): PolicyResource => ({ type, mesh: "default", name, labels: {}, body: { spec } });
const timeout = policy("MeshTimeout", "greeter-timeout", greeterTimeoutSpec);
const split = (weightV1: number, weightV2: number) => policy("MeshHTTPRoute", "greeter-split", greeterSplitSpec(weightV1, weightV2));

function serve(policies: PolicyResource[]): void {
  const input = { dataplane: dataplanes[0] as DataplaneResource, mesh: { name: "default" }, dataplanes, zoneIngresses: [], policies, vips: allocateVips(["client", "greeter"]), localZone: "zone-1", proxyless: true };
  const resources = generateProxyResources(input);
  assert.deepEqual(resources.warnings, []);
  cache.setSnapshot(nodeId, resources);
}

test("grpc-js-xds calls follow generated routes to the backends of our EDS, move with MeshHTTPRoute weights and stop at the MeshTimeout", async () => {
  serve([split(100, 0), timeout]);
  await client.settlesOn((replies) => replies.every((reply) => reply === "v1"), "v1 only at weight 100/0");

  serve([split(0, 100), timeout]);
  await client.settlesOn((replies) => replies.every((reply) => reply === "v2"), "v2 only at weight 0/100");

  serve([split(50, 50), timeout]);
  await client.settlesOn((replies) => replies.includes("v1") && replies.includes("v2"), "both versions at 50/50");

  const slow = await client.hello("slow");
  assert.equal(slow.code, grpc.status.DEADLINE_EXCEEDED, "the 300ms MeshTimeout ends a call the backend answers after 1s");
  assert.ok(slow.ms < 900, `ended after ${slow.ms}ms`);
});
