import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { typed, typeNames, type ClusterLoadAssignment, type RetryPolicy, type SnapshotResources } from "@zonemesh/xds";
import { get } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { edsCluster, httpManager, listener, routeConfig } from "../testing/resources";
import { eventually } from "../testing/test-control-plane";

interface Host {
  name: string;
  /** Default 503: every host fails unless told otherwise. */
  status?: number;
  priority?: number;
  version?: string;
}

const retryAll: RetryPolicy = { retry_on: "5xx", retry_back_off: { base_interval: { nanos: 1_000_000 } } };
const previousHosts = { name: "envoy.retry_host_predicates.previous_hosts", typed_config: typed(typeNames.previousHostsPredicate, {}) };

describe("MeshRetry hostSelection: retry host predicates and retry priority in the built-in engine", { timeout: 30_000 }, () => {
  const engine = new EngineUnderTest();
  /** Which hosts each request went to, in order, keyed by the request's x-request-id. */
  const visits = new Map<string, string[]>();
  let applied: SnapshotResources = {};

  /** Backends answering their name with their status, in one EDS cluster behind the engine's listener. */
  const serve = async (cluster: string, hosts: Host[], retryPolicy: RetryPolicy, lbPolicy: "ROUND_ROBIN" | "RANDOM" = "ROUND_ROBIN") => {
    const lbEndpoints: ClusterLoadAssignment["endpoints"] = [];
    for (const host of hosts) {
      const started = await engine.httpBackend(host.name, (request, response) => {
        const id = String(request.headers["x-request-id"]);
        visits.set(id, [...(visits.get(id) ?? []), host.name]);
        response.writeHead(host.status ?? 503).end(host.name);
      });
      const priority = host.priority ?? 0;
      const metadata = host.version ? { filter_metadata: { "envoy.lb": { fields: { version: { stringValue: host.version } } } } } : undefined;
      lbEndpoints[priority] ??= { lb_endpoints: [], load_balancing_weight: { value: 1 }, ...(priority ? { priority } : {}) };
      lbEndpoints[priority].lb_endpoints!.push({ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: started.port } } }, ...(metadata ? { metadata } : {}) });
    }
    applied = {
      listeners: [listener("outbound:http", engine.port, [httpManager(cluster)])],
      clusters: [edsCluster(cluster, { lb_policy: lbPolicy })],
      endpoints: [{ cluster_name: cluster, endpoints: lbEndpoints }],
      routes: [routeConfig(cluster, [{ match: { prefix: "/" }, route: { cluster, retry_policy: retryPolicy } }])],
    };
    await engine.applied(applied);
  };
  const send = async (id: string) => ({ ...(await get(engine.port, "/", { "x-request-id": id })), hosts: visits.get(id) ?? [] });

  test("previous_hosts: each retry goes to a host the request has not tried yet (random picks, redrawn)", async () => {
    const policy = { ...retryAll, num_retries: { value: 3 }, retry_host_predicate: [previousHosts], host_selection_retry_max_attempts: 50 };
    await serve("previous-hosts", [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }], policy, "RANDOM");
    for (let index = 0; index < 20; index++) {
      const { status, hosts } = await send(`previous-hosts-${index}`);
      assert.equal(status, 503);
      assert.equal(new Set(hosts).size, 4, `request ${index} went to ${hosts.join(", ")}`);
    }
  });

  test("omit_host_metadata: a retry avoids the hosts whose envoy.lb metadata matches", async () => {
    const omitCanary = { name: "envoy.retry_host_predicates.omit_host_metadata", typed_config: typed(typeNames.omitHostMetadata, { metadata_match: { filter_metadata: { "envoy.lb": { fields: { version: { stringValue: "canary" } } } } } }) };
    await serve("omit-canary", [{ name: "stable-failing", version: "stable" }, { name: "stable", status: 200, version: "stable" }, { name: "canary", status: 200, version: "canary" }], {
      ...retryAll,
      num_retries: { value: 1 },
      retry_host_predicate: [omitCanary],
      host_selection_retry_max_attempts: 5,
    });
    let retried = 0;
    for (let index = 0; index < 30; index++) {
      const { hosts } = await send(`omit-canary-${index}`);
      if (hosts[0] !== "stable-failing") continue;
      retried++;
      assert.deepEqual(hosts, ["stable-failing", "stable"]);
    }
    assert.ok(retried >= 5, `only ${retried} requests went first to the failing host`);
  });

  test("previous_priorities: with update_frequency 1 a retry leaves the priority it tried, though it has other hosts", async () => {
    await serve("previous-priorities", [{ name: "p0-a" }, { name: "p0-b" }, { name: "p1", status: 200, priority: 1 }], {
      ...retryAll,
      num_retries: { value: 1 },
      retry_priority: { name: "envoy.retry_priorities.previous_priorities", typed_config: typed(typeNames.previousPriorities, { update_frequency: 1 }) },
    });
    for (let index = 0; index < 10; index++) {
      const { status, hosts } = await send(`previous-priorities-${index}`);
      assert.deepEqual([status, hosts.length, hosts[1]], [200, 2, "p1"], `request ${index} went to ${hosts.join(", ")}`);
    }
  });

  test("previous_priorities without an update frequency is NACKed with the reason, and the last good config keeps serving", async () => {
    const noFrequency = { name: "envoy.retry_priorities.previous_priorities", typed_config: typed(typeNames.previousPriorities, {}) };
    engine.cp.set(engine.node, {
      ...applied,
      routes: [routeConfig("previous-priorities", [{ match: { prefix: "/" }, route: { cluster: "previous-priorities", retry_policy: { ...retryAll, retry_priority: noFrequency } } }])],
    });
    const nack = await eventually(() => {
      const event = engine.proxy.events.findLast((candidate) => candidate.kind === "nack");
      assert.ok(event && event.kind === "nack", "no NACK yet");
      return event;
    });
    assert.match(nack.error, /retry_priority previous_priorities: update_frequency must be greater than 0/);
    assert.equal((await send("after-nack")).status, 200);
  });
});
