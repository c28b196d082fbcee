import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { SnapshotCache } from "../cache/snapshot-cache";
import { createAdsServer } from "./ads-server";
import { typeUrls } from "../protos/type-urls";
import { connectAds, testNode } from "../testing/ads-test-client";
import { smallSnapshot } from "../testing/small-snapshot";
import { eventually } from "../testing/eventually";
import type { StreamInfo } from "./callbacks";
import type { XdsNode } from "./node";

const cache = new SnapshotCache();
const opened: StreamInfo[] = [];
const closed: StreamInfo[] = [];
const authenticated: { node: XdsNode; token: unknown }[] = [];
let authenticationsStarted = 0;
const server = createAdsServer({
  cache,
  firstRequestTimeoutMs: 300,
  callbacks: {
    async authenticate(node, metadata) {
      authenticationsStarted++;
      if (node.metadata.slow) await new Promise((resolve) => setTimeout(resolve, 100));
      const token = metadata.get("x-dataplane-token")[0];
      authenticated.push({ node, token });
      if (token !== "good") throw new Error(token ? "dataplane token is invalid" : "no dataplane token");
    },
    onStreamOpen: (stream) => opened.push(stream),
    onStreamClose: (stream) => closed.push(stream),
  },
});
const port = await server.listen("127.0.0.1:0");
const ads = connectAds(port);
after(async () => {
  ads.close();
  await server.close();
});

const withToken = (token = "good") => {
  const metadata = new grpc.Metadata();
  metadata.set("x-dataplane-token", token);
  return metadata;
};

test("a stream that sends nothing is ended after the first-request timeout", async () => {
  const stream = ads.sotw(withToken());
  const status = await stream.status;
  assert.equal(status.code, grpc.status.DEADLINE_EXCEEDED);
  assert.equal(status.details, "no discovery request within 300 ms of opening the stream");
});

test("garbage bytes (protobufjs decodes them leniently into a request without node) end that stream clearly and release it", async () => {
  const raw = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = raw.makeBidiStreamRequest("/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources", (bytes: Buffer) => bytes, (bytes: Buffer) => bytes, withToken());
  const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
  call.on("error", () => {});
  call.write(Buffer.from([0x0f, 0x00])); // field 1 with wire type 7, which does not exist
  assert.deepEqual(await status.then((s) => [s.code, s.details]), [grpc.status.INVALID_ARGUMENT, "the first request on an xDS stream must carry node.id"]);
  await eventually(() => server.stats().streams === 0, "the stream to be released");
  raw.close();
});

test("a first request without node.id ends the stream with INVALID_ARGUMENT", async () => {
  const stream = ads.sotw(withToken());
  stream.send({ type_url: typeUrls.listener });
  const status = await stream.status;
  assert.equal(status.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(status.details, "the first request on an xDS stream must carry node.id");
});

test("an unknown or missing type_url ends the stream with INVALID_ARGUMENT naming it", async () => {
  const sotw = ads.sotw(withToken());
  sotw.send({ node: testNode("garbage-1"), type_url: "type.googleapis.com/envoy.config.core.v3.Nonsense" });
  const status = await sotw.status;
  assert.equal(status.code, grpc.status.INVALID_ARGUMENT);
  assert.match(status.details, /^unsupported type_url "type.googleapis.com\/envoy.config.core.v3.Nonsense"; this server serves type.googleapis.com\/envoy.config.listener.v3.Listener, /);

  const delta = ads.delta(withToken());
  delta.send({ node: testNode("garbage-2") });
  assert.deepEqual(await delta.status.then((s) => [s.code, s.details]), [grpc.status.INVALID_ARGUMENT, "an ADS request must carry type_url"]);
});

test("authentication sees the node and the stream metadata; a refusal ends the stream with UNAUTHENTICATED", async () => {
  const refused = ads.sotw(withToken("forged"));
  refused.send({ node: testNode("auth-1", { "dataplane.name": "web-1" }), type_url: typeUrls.listener });
  const status = await refused.status;
  assert.equal(status.code, grpc.status.UNAUTHENTICATED);
  assert.equal(status.details, `node "auth-1" was refused: dataplane token is invalid`);
  assert.deepEqual(authenticated.at(-1), { node: { id: "auth-1", cluster: "", metadata: { "dataplane.name": "web-1" } }, token: "forged" });
  assert.equal(opened.filter((s) => s.node.id === "auth-1").length, 0);

  const missing = ads.delta(new grpc.Metadata());
  missing.send({ node: testNode("auth-2"), type_url: typeUrls.cluster });
  assert.equal((await missing.status).details, `node "auth-2" was refused: no dataplane token`);

  cache.setSnapshot("auth-3", smallSnapshot());
  const accepted = ads.sotw(withToken());
  accepted.send({ node: testNode("auth-3", { "dataplane.name": "web-3" }), type_url: typeUrls.listener });
  await accepted.next();
  const open = opened.find((s) => s.node.id === "auth-3");
  assert.equal(open?.kind, "sotw");
  assert.deepEqual(open?.node.metadata, { "dataplane.name": "web-3" });
  accepted.cancel();
  await eventually(() => closed.find((s) => s.streamId === open?.streamId), "onStreamClose");
});

test("100 reconnects, mid-stream disconnects, NACK storms and slow authentications leave nothing behind and do not disturb another proxy", async () => {
  cache.setSnapshot("bystander", smallSnapshot({ clusters: { a: [1] } }));
  cache.setSnapshot("flaky", smallSnapshot({ clusters: { a: [1] } }));
  const bystander = ads.sotw(withToken());
  bystander.send({ node: testNode("bystander"), type_url: typeUrls.endpoint, resource_names: ["a"] });
  const bystanderFirst = await bystander.next();
  bystander.send({ type_url: typeUrls.endpoint, version_info: bystanderFirst.version_info, response_nonce: bystanderFirst.nonce, resource_names: ["a"] });
  await eventually(() => server.status("bystander")?.types[typeUrls.endpoint]?.lastAckedVersion, "the bystander's ACK");
  const baseline = { ...server.stats(), watchers: cache.watcherCount() };
  assert.deepEqual(baseline, { streams: 1, nodes: 1, watchers: 1 });

  for (let round = 0; round < 100; round++) {
    const stream = round % 2 === 0 ? ads.sotw(withToken()) : ads.delta(withToken());
    if (round % 10 === 9) continue; // connects and never says anything: ended by the first-request timeout
    const node = testNode("flaky", round % 10 === 7 ? { slow: "yes" } : {});
    if (round % 2 === 0) await stream.send({ node, type_url: typeUrls.endpoint, resource_names: ["a"] } as never);
    else await stream.send({ node, type_url: typeUrls.endpoint, resource_names_subscribe: ["a"] } as never);
    if (round % 10 === 7) {
      const started = authenticationsStarted;
      await eventually(() => authenticationsStarted > started, "the authentication to start");
      stream.cancel(); // gone while its authentication is still running
      continue;
    }
    const response = (await stream.next()) as { nonce: string };
    await stream.send({ type_url: typeUrls.endpoint, response_nonce: response.nonce, error_detail: { code: 13, message: `rejected in round ${round}` } } as never);
    if (round % 3 === 0) stream.call.end(); // a polite half-close
    else stream.cancel();
  }
  await eventually(() => server.stats().streams === baseline.streams && cache.watcherCount() === baseline.watchers, "the flaky streams to be released", 5000);
  await new Promise((resolve) => setTimeout(resolve, 150)); // let the slow authentications finish
  assert.deepEqual({ ...server.stats(), watchers: cache.watcherCount() }, baseline);
  assert.equal(server.status("flaky"), undefined);

  // The bystander still has its stream, its status, and gets the next push.
  assert.equal(server.status("bystander")?.connectedStreams, 1);
  assert.equal(server.status("bystander")?.types[typeUrls.endpoint]?.lastNack, undefined);
  cache.setSnapshot("bystander", smallSnapshot({ clusters: { a: [2] } }));
  const push = await bystander.next();
  assert.notEqual(push.version_info, bystanderFirst.version_info);
  bystander.cancel();
  await eventually(() => server.stats().streams === 0, "the bystander to close");
});

test("a proxy that NACKs everything gets each version once", async () => {
  cache.setSnapshot("nacker", smallSnapshot({ clusters: { a: [1] } }));
  const stream = ads.sotw(withToken());
  stream.send({ node: testNode("nacker"), type_url: typeUrls.cluster });
  let response = await stream.next();
  const versions = [response.version_info];
  for (const port of [2, 3, 4]) {
    stream.send({ type_url: typeUrls.cluster, response_nonce: response.nonce, error_detail: { message: "no" } });
    await stream.expectSilence(50);
    cache.setSnapshot("nacker", smallSnapshot({ clusters: { [`c${port}`]: [port] } }));
    response = await stream.next();
    versions.push(response.version_info);
  }
  stream.send({ type_url: typeUrls.cluster, response_nonce: response.nonce, error_detail: { message: "still no" } });
  await stream.expectSilence();
  assert.equal(new Set(versions).size, 4);
  assert.equal(server.status("nacker")?.types[typeUrls.cluster]?.lastNack?.error, "still no");
  assert.equal(server.status("nacker")?.types[typeUrls.cluster]?.lastAckedVersion, undefined);
  stream.cancel();
});
