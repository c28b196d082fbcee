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
import { allocateVips } from "./vips";

const method = {
  path: "/zonemesh.test.Greeter/Hello",
  requestStream: false,
  responseStream: false,
  requestSerialize: (value: Buffer) => value,
  requestDeserialize: (value: Buffer) => value,
  responseSerialize: (value: Buffer) => value,
  responseDeserialize: (value: Buffer) => value,
};
const greeterService = { hello: method };

/** A backend answering its own name; a "slow" request is answered after a second. */
async function startBackend(name: string): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(greeterService, {
    hello: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      setTimeout(() => callback(null, Buffer.from(name)), call.request.toString() === "slow" ? 1000 : 0);
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { port, server };
}

const cache = new SnapshotCache();
const ads = createAdsServer({ cache });
const adsPort = await ads.listen("127.0.0.1:0");
const [v1, v2] = await Promise.all([startBackend("v1"), startBackend("v2")]);

const nodeId = "client-1";
process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
  xds_servers: [{ server_uri: `127.0.0.1:${adsPort}`, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
  node: { id: nodeId, locality: { zone: "zone-1" } },
});
createRequire(import.meta.url)("@grpc/grpc-js-xds").register();
const Greeter = grpc.makeGenericClientConstructor(greeterService, "Greeter");
const client = new Greeter("xds:///greeter", grpc.credentials.createInsecure()) as unknown as grpc.Client & {
  hello(request: Buffer, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, reply?: Buffer) => void): void;
};

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
const timeout = policy("MeshTimeout", "greeter-timeout", {
  targetRef: { kind: "Mesh" },
  to: [{ targetRef: { kind: "MeshService", name: "greeter" }, default: { http: { requestTimeout: "300ms" } } }],
});
const split = (weightV1: number, weightV2: number) =>
  policy("MeshHTTPRoute", "greeter-split", {
    targetRef: { kind: "Mesh" },
    to: [
      {
        targetRef: { kind: "MeshService", name: "greeter" },
        rules: [
          {
            matches: [{ path: { type: "PathPrefix", value: "/zonemesh.test.Greeter/" } }],
            default: {
              backendRefs: [
                { kind: "MeshServiceSubset", name: "greeter", tags: { version: "v1" }, weight: weightV1 },
                { kind: "MeshServiceSubset", name: "greeter", tags: { version: "v2" }, weight: weightV2 },
              ],
            },
          },
        ],
      },
    ],
  });

function serve(policies: PolicyResource[]): void {
  const input = { dataplane: dataplanes[0] as DataplaneResource, mesh: { name: "default" }, dataplanes, zoneIngresses: [], policies, vips: allocateVips(["client", "greeter"]), localZone: "zone-1", proxyless: true };
  const resources = generateProxyResources(input);
  assert.deepEqual(resources.warnings, []);
  cache.setSnapshot(nodeId, resources);
}

function hello(request = "hi"): Promise<{ reply?: string; code?: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) =>
    client.hello(Buffer.from(request), { deadline: Date.now() + 5000 }, (error, reply) =>
      resolve(error ? { code: error.code, ms: Date.now() - started } : { reply: reply?.toString(), ms: Date.now() - started }),
    ),
  );
}

/** Calls in batches until one batch satisfies `expected`: configuration reaches the client asynchronously. */
async function callsSettleOn(expected: (replies: (string | undefined)[]) => boolean, what: string): Promise<void> {
  let last: (string | undefined)[] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    last = (await Promise.all(Array.from({ length: 20 }, () => hello()))).map((result) => result.reply);
    if (expected(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`calls never settled on ${what}; last batch: ${last.join(", ")}`);
}

test("grpc-js-xds calls follow generated routes to the backends of our EDS, move with MeshHTTPRoute weights and stop at the MeshTimeout", async () => {
  serve([split(100, 0), timeout]);
  await callsSettleOn((replies) => replies.every((reply) => reply === "v1"), "v1 only at weight 100/0");

  serve([split(0, 100), timeout]);
  await callsSettleOn((replies) => replies.every((reply) => reply === "v2"), "v2 only at weight 0/100");

  serve([split(50, 50), timeout]);
  await callsSettleOn((replies) => replies.includes("v1") && replies.includes("v2"), "both versions at 50/50");

  const slow = await hello("slow");
  assert.equal(slow.code, grpc.status.DEADLINE_EXCEEDED, "the 300ms MeshTimeout ends a call the backend answers after 1s");
  assert.ok(slow.ms < 900, `ended after ${slow.ms}ms`);
});
