// The real peer against the running zone CP: @grpc/grpc-js-xds, bootstrapped with a dataplane token in its node
// metadata, calls xds:///greeter; the calls must land on real backends registered as Dataplanes through the REST API,
// follow a MeshHTTPRoute split and stop at a MeshTimeout, all changed through the API while the client runs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { freePort } from "@zonemesh/testing";
import { call } from "../../api/testing";
import { readConfig } from "../../config";
import { startControlPlane, type ControlPlane } from "../../control-plane";
import { GreeterClient, greeterSplitSpec, greeterTimeoutSpec, startGreeter, type Greeter } from "./testing/greeter";

let cp: ControlPlane;
let dataDir: string;
let greeter: GreeterClient;
const backends: Greeter[] = [];

const put = async (path: string, body: object) => {
  const response = await call(cp.api.address.url, "PUT", path, { body });
  assert.ok(response.status < 300, `PUT ${path}: ${response.status} ${JSON.stringify(response.body)}`);
};
const dataplane = (name: string, port: number, tags: Record<string, string>) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "127.0.0.1", inbound: [{ port, tags: { "kuma.io/protocol": "grpc", ...tags } }] },
});
const split = (v1: number, v2: number) => ({ type: "MeshHTTPRoute", mesh: "default", name: "greeter-split", spec: greeterSplitSpec(v1, v2) });

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-peer-"));
  const xdsPort = await freePort();
  cp = await startControlPlane(readConfig(["--mode", "standalone", "--data-dir", dataDir, "--api-port", "0", "--kds-port", "0", "--xds-port", String(xdsPort)], {}));
  const [v1, v2] = await Promise.all([startGreeter("v1"), startGreeter("v2")]);
  backends.push(v1!, v2!);
  await put("/meshes/default", { type: "Mesh", name: "default" });
  await put("/meshes/default/dataplanes/client-1", dataplane("client-1", 7000, { "kuma.io/service": "client" }));
  await put("/meshes/default/dataplanes/greeter-v1", dataplane("greeter-v1", v1!.port, { "kuma.io/service": "greeter", version: "v1" }));
  await put("/meshes/default/dataplanes/greeter-v2", dataplane("greeter-v2", v2!.port, { "kuma.io/service": "greeter", version: "v2" }));
  await put("/meshes/default/meshhttproutes/greeter-split", split(100, 0));
  await put("/meshes/default/meshtimeouts/greeter-timeout", {
    type: "MeshTimeout",
    mesh: "default",
    name: "greeter-timeout",
    spec: greeterTimeoutSpec,
  });
  const token = (await call(cp.api.address.url, "POST", "/tokens/dataplane", { body: { mesh: "default", name: "client-1" } })).body as string;
  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
    xds_servers: [{ server_uri: `127.0.0.1:${xdsPort}`, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
    node: { id: "default.client-1", locality: { zone: "default" }, metadata: { "dataplane.token": token } },
  });
  createRequire(import.meta.url)("@grpc/grpc-js-xds").register();
  greeter = new GreeterClient("xds:///greeter");
});

after(async () => {
  greeter?.close();
  for (const backend of backends) backend.server.forceShutdown();
  await cp.close();
  await rm(dataDir, { recursive: true, force: true });
});

test("grpc-js-xds calls reach the backends of our EDS, follow the MeshHTTPRoute split as it changes through the API, and stop at the MeshTimeout", async () => {
  await greeter.settlesOn((replies) => replies.every((reply) => reply === "v1"), "v1 only at weight 100/0");
  await put("/meshes/default/meshhttproutes/greeter-split", split(0, 100));
  await greeter.settlesOn((replies) => replies.every((reply) => reply === "v2"), "v2 only at weight 0/100");
  await put("/meshes/default/meshhttproutes/greeter-split", split(50, 50));
  await greeter.settlesOn((replies) => replies.includes("v1") && replies.includes("v2"), "both versions at 50/50");

  const slow = await greeter.hello("slow");
  assert.equal(slow.code, grpc.status.DEADLINE_EXCEEDED, "the 300ms MeshTimeout ends a call the backend answers after 1s");
  assert.ok(slow.ms < 900, `ended after ${slow.ms}ms`);

  const served = (await call(cp.api.address.url, "GET", "/meshes/default/dataplanes/client-1/xds")).body;
  assert.ok(["lds", "rds", "cds", "eds"].every((s) => served.status[s]?.acknowledged), JSON.stringify(served.status));
});
