import { test } from "node:test";
import assert from "node:assert/strict";
import { SnapshotCache } from "./snapshot-cache";
import { typeUrls } from "../protos/type-urls";
import { packAny, unpackAny } from "../protos/any";
import type { Snapshot } from "./snapshot";
import type { TypeUrl } from "../protos/type-urls";
import { edsCluster, httpListener, loadAssignment, routeConfiguration, tcpListener, identitySecret } from "../testing/sample-resources";

const complete = {
  listeners: [httpListener, tcpListener],
  clusters: [edsCluster],
  endpoints: [loadAssignment],
  routes: [routeConfiguration],
  secrets: [identitySecret],
};

test("a snapshot holds every resource encoded, by type URL and name, with content-derived versions", () => {
  const cache = new SnapshotCache();
  cache.setSnapshot("node-1", complete);
  const snapshot = cache.getSnapshot("node-1")!;
  const listeners = snapshot.types.get(typeUrls.listener)!;
  assert.deepEqual([...listeners.resources.keys()], [httpListener.name, tcpListener.name]);
  assert.deepEqual(unpackAny(listeners.resources.get(tcpListener.name)!.any), tcpListener);
  assert.equal(snapshot.types.get(typeUrls.endpoint)!.resources.get("backend")!.resource, loadAssignment);

  const other = new SnapshotCache();
  other.setSnapshot("node-2", { ...complete, listeners: [tcpListener, httpListener] });
  assert.equal(other.getSnapshot("node-2")!.types.get(typeUrls.listener)!.version, listeners.version, "order does not change the version");
});

test("an object handed to several nodes is encoded once and shared", () => {
  const cache = new SnapshotCache();
  cache.setSnapshot("node-1", complete);
  cache.setSnapshot("node-2", { ...complete, listeners: [tcpListener] });
  const cached = (node: string) => cache.getSnapshot(node)!.types.get(typeUrls.endpoint)!.resources.get("backend");
  assert.equal(cached("node-1"), cached("node-2"));
  cache.setSnapshot("node-3", structuredClone(complete));
  assert.notEqual(cached("node-3"), cached("node-1"));
  assert.equal(cached("node-3")!.version, cached("node-1")!.version);
});

test("identical content changes nothing and notifies no one; a change names the changed types only", () => {
  const cache = new SnapshotCache();
  const notifications: TypeUrl[][] = [];
  cache.watch("node-1", (_snapshot, changed) => notifications.push([...changed]));
  assert.equal(cache.setSnapshot("node-1", complete).changedTypes.length, 5);
  const before = cache.getSnapshot("node-1");
  assert.deepEqual(cache.setSnapshot("node-1", structuredClone(complete)).changedTypes, []);
  assert.equal(cache.getSnapshot("node-1"), before);

  const moved = { ...loadAssignment, endpoints: [{ ...loadAssignment.endpoints![0]!, locality: { zone: "zone-2" } }] };
  assert.deepEqual(cache.setSnapshot("node-1", { ...complete, endpoints: [moved] }).changedTypes, [typeUrls.endpoint]);
  assert.equal(notifications.length, 2);
  assert.deepEqual(notifications[1], [typeUrls.endpoint]);
  const listenerVersion = (s: Snapshot | undefined) => s!.types.get(typeUrls.listener)!.resources.get(httpListener.name)!.version;
  assert.equal(listenerVersion(cache.getSnapshot("node-1")), listenerVersion(before));
});

test("an EDS cluster without its ClusterLoadAssignment is rejected and the old snapshot stays", () => {
  const cache = new SnapshotCache();
  cache.setSnapshot("node-1", complete);
  const good = cache.getSnapshot("node-1");
  assert.throws(
    () => cache.setSnapshot("node-1", { ...complete, endpoints: [] }),
    { message: `inconsistent snapshot for node "node-1": cluster "backend" uses EDS service "backend" but no ClusterLoadAssignment has that name` },
  );
  assert.equal(cache.getSnapshot("node-1"), good);
});

test("a listener whose HCM names a missing RDS route is rejected, for filter chains and api_listener alike", () => {
  const cache = new SnapshotCache();
  assert.throws(() => cache.setSnapshot("n", { ...complete, routes: [] }), /listener "inbound:10.0.0.1:8080" uses RDS route "outbound:backend" but no RouteConfiguration has that name/);
  // After an accepted snapshot too, when only the routes change (the unchanged listeners are checked again).
  cache.setSnapshot("accepted", complete);
  assert.throws(() => cache.setSnapshot("accepted", { ...complete, routes: [] }), /listener "inbound:10.0.0.1:8080" uses RDS route "outbound:backend"/);
  const apiListener = {
    name: "api",
    api_listener: {
      api_listener: {
        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        stat_prefix: "api",
        rds: { config_source: { ads: {} }, route_config_name: "missing" },
      },
    },
  };
  assert.throws(() => cache.setSnapshot("n", { listeners: [apiListener] }), /listener "api" uses RDS route "missing"/);
  assert.equal(cache.getSnapshot("n"), undefined);
});

test("invalid or unnamed or duplicate resources are rejected naming the resource", () => {
  const cache = new SnapshotCache();
  assert.throws(() => cache.setSnapshot("n", { clusters: [{ name: "c", lb_policy: "NOPE" as never }] }), /Cluster "c": invalid Cluster: Cluster.lb_policy: unknown LbPolicy value "NOPE"/);
  assert.throws(() => cache.setSnapshot("n", { clusters: [{ name: "" }] }), /Cluster #0 has no name/);
  assert.throws(() => cache.setSnapshot("n", { routes: [{ name: "r" }, { name: "r" }] }), /RouteConfiguration "r" appears twice/);
});

test("watchers are removed by their stop function, clearSnapshot forgets the node", () => {
  const cache = new SnapshotCache();
  let calls = 0;
  const stop = cache.watch("node-1", () => calls++);
  const stopOther = cache.watch("node-2", () => calls++);
  assert.equal(cache.watcherCount(), 2);
  stop();
  stopOther();
  assert.equal(cache.watcherCount(), 0);
  cache.setSnapshot("node-1", complete);
  assert.equal(calls, 0);
  cache.clearSnapshot("node-1");
  assert.deepEqual(cache.nodeIds(), []);
});

test("equal content built as new objects reuses its encoding; changed content never gets the old one", () => {
  const cache = new SnapshotCache();
  const cluster = (seconds: number) => ({ ...structuredClone(edsCluster), connect_timeout: { seconds } });
  const served = (node: string) => cache.getSnapshot(node)!.types.get(typeUrls.cluster)!.resources.get(edsCluster.name)!;
  cache.setSnapshot("node-1", { ...complete, clusters: [cluster(1)] });
  cache.setSnapshot("node-2", { ...complete, clusters: [cluster(1)] });
  assert.equal(served("node-2").any, served("node-1").any, "the same encoded bytes, not encoded again");
  assert.notEqual(served("node-2").resource, served("node-1").resource, "each snapshot keeps the object it was given");
  for (const seconds of [2, 1, 3]) {
    cache.setSnapshot("node-1", { ...complete, clusters: [cluster(seconds)] });
    assert.deepEqual(unpackAny(served("node-1").any).connect_timeout, { seconds });
  }
});

test("values JSON cannot tell apart (0 and -0, NaN and null) are encoded separately", () => {
  const cache = new SnapshotCache();
  const withThreshold = (value: number) => ({ ...structuredClone(edsCluster), common_lb_config: { healthy_panic_threshold: { value } } });
  const objects = { zero: withThreshold(0), "minus-zero": withThreshold(-0), nan: withThreshold(Number.NaN) };
  for (const [node, cluster] of Object.entries(objects)) cache.setSnapshot(node, { ...complete, clusters: [cluster] });
  const served = (node: string) => cache.getSnapshot(node)!.types.get(typeUrls.cluster)!.resources.get(edsCluster.name)!;
  for (const [node, cluster] of Object.entries(objects)) assert.deepEqual(served(node).any, packAny(typeUrls.cluster, cluster), node);
  assert.equal(new Set(Object.keys(objects).map((node) => served(node).version)).size, 3);
});
