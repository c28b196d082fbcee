import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SnapshotCache } from "../cache/snapshot-cache";
import { createAdsServer } from "./ads-server";
import { typeUrls } from "../protos/type-urls";
import { unpackAny } from "../protos/any";
import { connectAds, testNode } from "../testing/ads-test-client";
import { smallSnapshot } from "../testing/small-snapshot";
import { eventually } from "../testing/eventually";
import type { AckInfo, NackInfo } from "./callbacks";

const cache = new SnapshotCache();
const acks: AckInfo[] = [];
const nacks: NackInfo[] = [];
const server = createAdsServer({ cache, callbacks: { onAck: (_s, ack) => acks.push(ack), onNack: (_s, nack) => nacks.push(nack) } });
const port = await server.listen("127.0.0.1:0");
const ads = connectAds(port);
after(async () => {
  ads.close();
  await server.close();
});

test("LDS and CDS without names are wildcards; an ACK is recorded as the node's good version", async () => {
  cache.setSnapshot("sotw-1", smallSnapshot({ clusters: { a: [1], b: [2] } }));
  const stream = ads.sotw();
  stream.send({ node: testNode("sotw-1"), type_url: typeUrls.cluster });
  const clusters = await stream.next();
  assert.equal(clusters.type_url, typeUrls.cluster);
  assert.deepEqual(clusters.resources.map((r) => unpackAny<{ name: string }>(r).name).sort(), ["a", "b"]);
  assert.ok(clusters.version_info && clusters.nonce);

  stream.send({ type_url: typeUrls.cluster, version_info: clusters.version_info, response_nonce: clusters.nonce });
  await stream.expectSilence();
  assert.deepEqual(server.status("sotw-1")?.types[typeUrls.cluster], { lastSentVersion: clusters.version_info, lastSentNonce: clusters.nonce, lastAckedVersion: clusters.version_info });
  assert.deepEqual(acks.at(-1), { typeUrl: typeUrls.cluster, version: clusters.version_info, nonce: clusters.nonce });
  assert.equal(server.status("sotw-1")?.connectedStreams, 1);
  stream.cancel();
});

test("EDS answers only the subscribed names; changing the names or the content pushes, identical content does not", async () => {
  cache.setSnapshot("sotw-2", smallSnapshot({ clusters: { a: [1], b: [2] } }));
  const stream = ads.sotw();
  stream.send({ node: testNode("sotw-2"), type_url: typeUrls.endpoint, resource_names: ["a"] });
  const first = await stream.next();
  assert.deepEqual(first.resources.map((r) => unpackAny<{ cluster_name: string }>(r).cluster_name), ["a"]);
  stream.send({ type_url: typeUrls.endpoint, version_info: first.version_info, response_nonce: first.nonce, resource_names: ["a", "b"] });
  const second = await stream.next();
  assert.deepEqual(second.resources.map((r) => unpackAny<{ cluster_name: string }>(r).cluster_name), ["a", "b"]);
  assert.notEqual(second.version_info, first.version_info);
  stream.send({ type_url: typeUrls.endpoint, version_info: second.version_info, response_nonce: second.nonce, resource_names: ["a", "b"] });

  cache.setSnapshot("sotw-2", smallSnapshot({ clusters: { a: [1], b: [2] } }));
  await stream.expectSilence();
  cache.setSnapshot("sotw-2", smallSnapshot({ clusters: { a: [1], b: [2, 3] } }));
  const third = await stream.next();
  const b = third.resources.map((r) => unpackAny<{ cluster_name: string; endpoints: { lb_endpoints: unknown[] }[] }>(r)).find((r) => r.cluster_name === "b");
  assert.equal(b?.endpoints[0]?.lb_endpoints.length, 2);
  stream.cancel();
});

test("a NACK is recorded with its error and the rejected version is not sent again", async () => {
  cache.setSnapshot("sotw-3", smallSnapshot({ listener: "l1" }));
  const stream = ads.sotw();
  stream.send({ node: testNode("sotw-3"), type_url: typeUrls.listener });
  const good = await stream.next();
  stream.send({ type_url: typeUrls.listener, version_info: good.version_info, response_nonce: good.nonce });
  await eventually(() => server.status("sotw-3")?.types[typeUrls.listener]?.lastAckedVersion, "the ACK");

  cache.setSnapshot("sotw-3", smallSnapshot({ listener: "l2" }));
  const rejected = await stream.next();
  stream.send({ type_url: typeUrls.listener, version_info: good.version_info, response_nonce: rejected.nonce, error_detail: { code: 3, message: "listener l2: bad filter" } });
  await stream.expectSilence();

  const status = server.status("sotw-3")?.types[typeUrls.listener];
  assert.equal(status?.lastAckedVersion, good.version_info, "the last good version stays");
  assert.equal(status?.lastSentVersion, rejected.version_info);
  assert.deepEqual({ ...status?.lastNack, time: undefined }, { version: rejected.version_info, nonce: rejected.nonce, error: "listener l2: bad filter", time: undefined });
  assert.ok(status?.lastNack?.time instanceof Date);
  assert.deepEqual(nacks.at(-1), { typeUrl: typeUrls.listener, version: rejected.version_info, nonce: rejected.nonce, error: "listener l2: bad filter" });

  // A change of other types does not resend the rejected listeners; new listener content is sent.
  cache.setSnapshot("sotw-3", smallSnapshot({ listener: "l2", clusters: { backend: [9002] } }));
  await stream.expectSilence();
  cache.setSnapshot("sotw-3", smallSnapshot({ listener: "l3", clusters: { backend: [9002] } }));
  const fixed = await stream.next();
  assert.deepEqual(fixed.resources.map((r) => unpackAny<{ name: string }>(r).name), ["l3"]);
  stream.cancel();
});

test("a request with a stale nonce is ignored", async () => {
  cache.setSnapshot("sotw-4", smallSnapshot({ clusters: { a: [1], b: [2] } }));
  const stream = ads.sotw();
  stream.send({ node: testNode("sotw-4"), type_url: typeUrls.endpoint, resource_names: ["a"] });
  const first = await stream.next();
  cache.setSnapshot("sotw-4", smallSnapshot({ clusters: { a: [5], b: [2] } }));
  const second = await stream.next();
  stream.send({ type_url: typeUrls.endpoint, version_info: first.version_info, response_nonce: first.nonce, resource_names: ["b"] });
  await stream.expectSilence();
  assert.equal(server.status("sotw-4")?.types[typeUrls.endpoint]?.lastAckedVersion, undefined);
  stream.send({ type_url: typeUrls.endpoint, version_info: second.version_info, response_nonce: second.nonce, resource_names: ["a"] });
  await stream.expectSilence();
  assert.equal(server.status("sotw-4")?.types[typeUrls.endpoint]?.lastAckedVersion, second.version_info);
  stream.cancel();
});

test("a stream that connects before its snapshot exists is answered when the snapshot is set", async () => {
  const stream = ads.sotw();
  stream.send({ node: testNode("sotw-5"), type_url: typeUrls.listener });
  await stream.expectSilence();
  cache.setSnapshot("sotw-5", smallSnapshot());
  const response = await stream.next();
  assert.equal(response.resources.length, 1);
  stream.cancel();
});
