import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SnapshotCache } from "../cache/snapshot-cache";
import { createAdsServer } from "./ads-server";
import { typeUrls } from "../protos/type-urls";
import { unpackAny } from "../protos/any";
import { connectAds, testNode } from "../testing/ads-test-client";
import { smallSnapshot } from "../testing/small-snapshot";
import { eventually } from "../testing/eventually";
import type { DeltaDiscoveryResponse } from "../protos/discovery-messages";

const cache = new SnapshotCache();
const server = createAdsServer({ cache });
const port = await server.listen("127.0.0.1:0");
const ads = connectAds(port);
after(async () => {
  ads.close();
  await server.close();
});

const names = (response: DeltaDiscoveryResponse) => response.resources.map((r) => r.name).sort();
const endpointPorts = (response: DeltaDiscoveryResponse, name: string) => {
  const resource = response.resources.find((r) => r.name === name)!;
  const assignment = unpackAny<{ endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { port_value: number } } } }[] }[] }>(resource.resource);
  return assignment.endpoints[0]!.lb_endpoints.map((e) => e.endpoint.address.socket_address.port_value);
};

test("delta: subscribe, receive, ACK, NACK without resend, unsubscribe, removal", async () => {
  cache.setSnapshot("delta-1", smallSnapshot({ clusters: { a: [1], b: [2], c: [3] } }));
  const stream = ads.delta();
  stream.send({ node: testNode("delta-1"), type_url: typeUrls.endpoint, resource_names_subscribe: ["a", "b"] });
  const first = await stream.next();
  assert.deepEqual(names(first), ["a", "b"]);
  assert.deepEqual(endpointPorts(first, "a"), [1]);
  assert.deepEqual(first.removed_resources ?? [], []);
  assert.ok(first.resources.every((r) => r.version));

  stream.send({ type_url: typeUrls.endpoint, response_nonce: first.nonce });
  await eventually(() => server.status("delta-1")?.types[typeUrls.endpoint]?.lastAckedVersion === first.system_version_info, "the ACK");

  // Only the changed resource is sent.
  cache.setSnapshot("delta-1", smallSnapshot({ clusters: { a: [1], b: [4], c: [3] } }));
  const update = await stream.next();
  assert.deepEqual(names(update), ["b"]);
  assert.deepEqual(endpointPorts(update, "b"), [4]);

  // NACK: recorded with its error, and not sent again when unrelated resources change.
  stream.send({ type_url: typeUrls.endpoint, response_nonce: update.nonce, error_detail: { code: 3, message: "b: bad endpoint" } });
  const nack = await eventually(() => server.status("delta-1")?.types[typeUrls.endpoint]?.lastNack, "the NACK");
  assert.equal(nack.error, "b: bad endpoint");
  assert.equal(nack.version, update.system_version_info);
  assert.equal(server.status("delta-1")?.types[typeUrls.endpoint]?.lastAckedVersion, first.system_version_info);
  cache.setSnapshot("delta-1", smallSnapshot({ clusters: { a: [1], b: [4], c: [9] } }));
  await stream.expectSilence();

  // Subscribing to c sends c; unsubscribing a then removing b reports only b as removed.
  stream.send({ type_url: typeUrls.endpoint, resource_names_subscribe: ["c"], resource_names_unsubscribe: ["a"] });
  const added = await stream.next();
  assert.deepEqual(names(added), ["c"]);
  assert.deepEqual(endpointPorts(added, "c"), [9]);
  stream.send({ type_url: typeUrls.endpoint, response_nonce: added.nonce });
  cache.setSnapshot("delta-1", smallSnapshot({ clusters: { a: [5], c: [9] } }));
  const removal = await stream.next();
  assert.deepEqual(removal.resources ?? [], []);
  assert.deepEqual(removal.removed_resources, ["b"]);
  stream.cancel();
});

test("delta: a subscription to a name that does not exist is answered in removed_resources once, then filled when it appears", async () => {
  cache.setSnapshot("delta-4", smallSnapshot({ clusters: { a: [1] } }));
  const stream = ads.delta();
  stream.send({ node: testNode("delta-4"), type_url: typeUrls.endpoint, resource_names_subscribe: ["a", "later"] });
  const first = await stream.next();
  assert.deepEqual(names(first), ["a"]);
  assert.deepEqual(first.removed_resources, ["later"]);
  cache.setSnapshot("delta-4", smallSnapshot({ clusters: { a: [2] } }));
  const update = await stream.next();
  assert.deepEqual(names(update), ["a"]);
  assert.deepEqual(update.removed_resources ?? [], [], "absence is not repeated");
  cache.setSnapshot("delta-4", smallSnapshot({ clusters: { a: [2], later: [3] } }));
  const appeared = await stream.next();
  assert.deepEqual(names(appeared), ["later"]);
  stream.cancel();
});

test("delta: LDS/CDS without names are wildcards and report deleted resources", async () => {
  cache.setSnapshot("delta-2", smallSnapshot({ clusters: { a: [1], b: [2] } }));
  const stream = ads.delta();
  stream.send({ node: testNode("delta-2"), type_url: typeUrls.cluster });
  assert.deepEqual(names(await stream.next()), ["a", "b"]);
  cache.setSnapshot("delta-2", smallSnapshot({ clusters: { a: [1] } }));
  const removal = await stream.next();
  assert.deepEqual(removal.removed_resources, ["b"]);
  stream.cancel();
});

test("delta: a reconnect with initial_resource_versions gets only what changed and what is gone", async () => {
  cache.setSnapshot("delta-3", smallSnapshot({ clusters: { a: [1], b: [2], c: [3] } }));
  const first = ads.delta();
  first.send({ node: testNode("delta-3"), type_url: typeUrls.endpoint, resource_names_subscribe: ["a", "b", "c"] });
  const initial = await first.next();
  const versions = Object.fromEntries(initial.resources.map((r) => [r.name, r.version]));
  first.cancel();
  await eventually(() => server.status("delta-3") === undefined, "the first stream to close");

  cache.setSnapshot("delta-3", smallSnapshot({ clusters: { a: [1], b: [7] } }));
  const second = ads.delta();
  second.send({ node: testNode("delta-3"), type_url: typeUrls.endpoint, resource_names_subscribe: ["a", "b", "c"], initial_resource_versions: versions });
  const resync = await second.next();
  assert.deepEqual(names(resync), ["b"]);
  assert.deepEqual(endpointPorts(resync, "b"), [7]);
  assert.deepEqual(resync.removed_resources, ["c"]);
  second.cancel();
});
