import assert from "node:assert/strict";
import { test } from "node:test";
import { DeltaSender } from "./delta-sender";
import type { KdsResource } from "./resource";
import { StreamStatsRecorder, emptyByteCounters } from "./stats";
import { resourceVersion } from "./version";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from "./wire/messages";

function senderOver(resources: KdsResource[]) {
  const sent: DeltaDiscoveryResponse[] = [];
  const stats = new StreamStatsRecorder("globalToZone", "sender", emptyByteCounters());
  const sender = new DeltaSender({ types: ["Mesh"], snapshot: () => resources, send: (r) => sent.push(r), stats });
  return { sender, sent, stats: stats.stats };
}

const request = (fields: Partial<DeltaDiscoveryRequest>): DeltaDiscoveryRequest => ({
  node: null,
  type: "Mesh",
  initialResourceVersions: [],
  responseNonce: "",
  errorDetail: null,
  ...fields,
});
const settle = () => new Promise((resolve) => setImmediate(resolve));
const names = (response: DeltaDiscoveryResponse | undefined) => ({
  upserted: response?.resources.map((r) => r.name),
  removed: response?.removedResources.map((r) => r.name),
});

test("the first response sends only what differs from the receiver's initial versions, removals included", async () => {
  const same = { mesh: "", name: "same", labels: {}, body: { a: 1 } };
  const changed = { mesh: "", name: "changed", labels: {}, body: { a: 2 } };
  const { sender, sent } = senderOver([same, changed, { mesh: "", name: "new", labels: {}, body: {} }]);
  sender.handleRequest(request({
    initialResourceVersions: [
      { mesh: "", name: "same", version: resourceVersion(same) },
      { mesh: "", name: "changed", version: resourceVersion({ ...changed, body: { a: 1 } }) },
      { mesh: "", name: "gone", version: "0123456789abcdef" },
    ],
  }));
  await settle();
  assert.equal(sent.length, 1);
  assert.deepEqual(names(sent[0]), { upserted: ["changed", "new"], removed: ["gone"] });
});

test("an empty first response is still sent, so the receiver knows it is in sync", async () => {
  const { sender, sent } = senderOver([]);
  sender.handleRequest(request({}));
  await settle();
  assert.deepEqual(names(sent[0]), { upserted: [], removed: [] });
});

test("a NACKed delta is not sent again until the source changes", async () => {
  const resources: KdsResource[] = [{ mesh: "", name: "bad", labels: {}, body: { broken: true } }];
  const { sender, sent, stats } = senderOver(resources);
  sender.handleRequest(request({}));
  await settle();
  sender.handleRequest(request({ responseNonce: sent[0]!.nonce, errorDetail: { code: 3, message: "broken" } }));
  sender.resourcesChanged("Mesh");
  sender.resourcesChanged("Mesh");
  await settle();
  assert.equal(sent.length, 1);
  assert.equal(stats.types.Mesh?.lastNackError, "broken");

  resources[0] = { mesh: "", name: "bad", labels: {}, body: { broken: false } };
  sender.resourcesChanged("Mesh");
  await settle();
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1]!.resources.map((r) => JSON.parse(Buffer.from(r.body).toString())), [{ broken: false }]);
});

test("one response is in flight per type; changes meanwhile go out after its ACK, only what the ACK did not cover", async () => {
  const resources: KdsResource[] = [{ mesh: "", name: "a", labels: {}, body: 1 }];
  const { sender, sent, stats } = senderOver(resources);
  sender.handleRequest(request({}));
  await settle();
  resources.push({ mesh: "", name: "b", labels: {}, body: 2 });
  sender.resourcesChanged("Mesh");
  await settle();
  assert.equal(sent.length, 1, "waits for the ACK");

  sender.handleRequest(request({ responseNonce: "stale", errorDetail: null }));
  await settle();
  assert.equal(sent.length, 1, "an ACK of an unknown nonce is ignored");

  sender.handleRequest(request({ responseNonce: sent[0]!.nonce }));
  await settle();
  assert.equal(sent.length, 2);
  assert.deepEqual(names(sent[1]), { upserted: ["b"], removed: [] });
  assert.equal(stats.types.Mesh?.acked, 1);
});

test("requests for types the sender does not serve are ignored", async () => {
  const { sender, sent, stats } = senderOver([]);
  sender.handleRequest(request({ type: "Unknown" }));
  await settle();
  assert.deepEqual(sent, []);
  assert.deepEqual(stats.types, {});
});

test("a failing source or an unserializable resource is recorded in stats, and the next change is sent", async () => {
  let snapshot: () => KdsResource[] = () => {
    throw new Error("store unavailable");
  };
  const sent: DeltaDiscoveryResponse[] = [];
  const recorder = new StreamStatsRecorder("zoneToGlobal", "sender", emptyByteCounters());
  const sender = new DeltaSender({ types: ["Mesh"], snapshot: () => snapshot(), send: (r) => sent.push(r), stats: recorder });
  sender.handleRequest(request({}));
  await settle();
  assert.equal(recorder.stats.types.Mesh?.lastLocalError, "could not send resources: store unavailable");

  snapshot = () => [{ mesh: "", name: "big", labels: {}, body: { n: 1n } }];
  sender.resourcesChanged("Mesh");
  await settle();
  assert.match(recorder.stats.types.Mesh?.lastLocalError ?? "", /BigInt/);
  assert.deepEqual(sent, []);

  snapshot = () => [{ mesh: "", name: "ok", labels: {}, body: {} }];
  sender.resourcesChanged("Mesh");
  await settle();
  assert.deepEqual(names(sent[0]), { upserted: ["ok"], removed: [] });
});
