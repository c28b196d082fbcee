// The real peer: @grpc/grpc-js-xds, bootstrapped against our ADS server, calling real backends.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SnapshotCache } from "../cache/snapshot-cache";
import { createAdsServer } from "./ads-server";
import { typeUrls, allTypeUrls } from "../protos/type-urls";
import { startEchoBackend } from "../testing/echo-service";
import { smallSnapshot } from "../testing/small-snapshot";
import { eventually } from "../testing/eventually";

const nodeId = "grpc-client-1";
const cache = new SnapshotCache();
const server = createAdsServer({ cache });
const port = await server.listen("127.0.0.1:0");
const [one, two] = await Promise.all([startEchoBackend("one"), startEchoBackend("two")]);

const bootstrap = {
  xds_servers: [{ server_uri: `127.0.0.1:${port}`, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
  node: { id: nodeId, locality: { zone: "zone-1" } },
};
const client = fork(fileURLToPath(new URL("../testing/grpc-js-xds-client-process.ts", import.meta.url)), {
  execArgv: ["--import", "tsx"],
  env: { ...process.env, GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(bootstrap) },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
after(async () => {
  client.disconnect();
  one.close();
  two.close();
  await server.close();
});

function call(times: number): Promise<string[]> {
  return new Promise((resolve) => {
    client.once("message", (results) => resolve(results as string[]));
    client.send({ target: "echo", calls: times });
  });
}

/** Calls until a batch of calls all land where expected (configuration reaches the client asynchronously). */
async function callsSettleOn(expected: (results: string[]) => boolean, what: string): Promise<string[]> {
  let last: string[] = [];
  const deadline = Date.now() + 30_000; // the first batch waits for the child to load grpc-js-xds
  while (Date.now() < deadline) {
    last = await call(6);
    if (expected(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`calls never settled on ${what}; last batch: ${last.join(", ")}`);
}

const allAcked = () => {
  const status = server.status(nodeId);
  return allTypeUrls.filter((t) => t !== typeUrls.secret).every((t) => status?.types[t]?.lastAckedVersion && status.types[t]?.lastAckedVersion === status.types[t]?.lastSentVersion);
};

test("grpc-js-xds follows our LDS/RDS/CDS/EDS to real backends, ACKs every type, moves with weights and keeps its last good config on a NACK", async () => {
  cache.setSnapshot(nodeId, smallSnapshot({ listener: "echo", clusters: { one: [one.port] } }));
  assert.deepEqual(await callsSettleOn((r) => r.every((b) => b === "one"), "backend one"), Array(6).fill("one"));
  await eventually(allAcked, "ACKs of LDS, RDS, CDS and EDS");

  // A second endpoint in the same cluster: round robin reaches both.
  cache.setSnapshot(nodeId, smallSnapshot({ listener: "echo", clusters: { one: [one.port, two.port] } }));
  await callsSettleOn((r) => r.includes("one") && r.includes("two"), "both endpoints");

  // Weighted clusters 100/0, then 0/100.
  cache.setSnapshot(nodeId, smallSnapshot({ listener: "echo", clusters: { one: [one.port], two: [two.port] }, weights: { one: 100, two: 0 } }));
  await callsSettleOn((r) => r.every((b) => b === "one"), "cluster one at weight 100");
  cache.setSnapshot(nodeId, smallSnapshot({ listener: "echo", clusters: { one: [one.port], two: [two.port] }, weights: { one: 0, two: 100 } }));
  await callsSettleOn((r) => r.every((b) => b === "two"), "cluster two at weight 100");
  await eventually(allAcked, "ACKs after the weight change");
  const goodRoute = server.status(nodeId)?.types[typeUrls.route]?.lastAckedVersion;

  // Weights summing to 0 are invalid for grpc-js-xds: it NACKs the route, we record why, calls stay on the last good route.
  cache.setSnapshot(nodeId, smallSnapshot({ listener: "echo", clusters: { one: [one.port], two: [two.port] }, weights: { one: 0, two: 0 } }));
  const nack = await eventually(() => server.status(nodeId)?.types[typeUrls.route]?.lastNack, "grpc-js-xds's NACK of the route");
  assert.match(nack.error, /sum of weights is 0/);
  assert.equal(nack.version, server.status(nodeId)?.types[typeUrls.route]?.lastSentVersion);
  assert.equal(server.status(nodeId)?.types[typeUrls.route]?.lastAckedVersion, goodRoute);
  assert.deepEqual(await call(6), Array(6).fill("two"));
});
