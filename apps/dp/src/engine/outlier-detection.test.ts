import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { freePort } from "@zonemesh/testing";
import type { OutlierDetection } from "@zonemesh/xds";
import { get } from "../testing/backends";
import { EngineUnderTest } from "../testing/engine-under-test";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "../testing/resources";
import { eventually } from "../testing/test-control-plane";

const ms = (value: number) => ({ nanos: value * 1_000_000 });
/** Every detector off unless a test turns it on; any host may be ejected. */
const quiet: OutlierDetection = { enforcing_consecutive_5xx: { value: 0 }, enforcing_success_rate: { value: 0 }, max_ejection_percent: { value: 100 }, interval: ms(300), base_ejection_time: { seconds: 10 } };

describe("outlier detection through the built-in engine", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();

  /** Backends named by `names`, each answering its name, or 503 when `failing` says so for its nth request. */
  const pool = async (cluster: string, detection: OutlierDetection, failing: Record<string, (count: number) => boolean>, extraPorts: number[] = []) => {
    const ports: number[] = [];
    for (const name of ["a", "b", "c"]) {
      let count = 0;
      const started = await engine.httpBackend(name, (_request, response) => {
        const fails = failing[name]?.(++count) ?? false;
        response.writeHead(fails ? 503 : 200).end(name);
      });
      ports.push(started.port);
    }
    await engine.applied({
      listeners: [listener("outbound:http", engine.port, [httpManager(cluster)])],
      clusters: [edsCluster(cluster, { outlier_detection: detection })],
      endpoints: [assignment(cluster, [...ports, ...extraPorts])],
      routes: [routeConfig(cluster, [{ match: { prefix: "/" }, route: { cluster } }])],
    });
  };
  const answers = async (count: number) => {
    const responses = await Promise.all(Array.from({ length: count }, () => get(engine.port)));
    return new Set(responses.map(({ status, body }) => `${status} ${body}`));
  };

  test("consecutive 5xx eject the host that keeps failing", async () => {
    await pool("consecutive", { ...quiet, consecutive_5xx: { value: 3 }, enforcing_consecutive_5xx: { value: 100 } }, { c: () => true });
    await eventually(async () => assert.deepEqual(await answers(12), new Set(["200 a", "200 b"])));
  });

  test("success rate ejects a host far below the others' mean over an interval", async () => {
    const detection = { ...quiet, success_rate_minimum_hosts: { value: 3 }, success_rate_request_volume: { value: 10 }, success_rate_stdev_factor: { value: 1000 }, enforcing_success_rate: { value: 100 } };
    // c fails every other request: never five in a row, so only the rate can tell.
    await pool("success-rate", detection, { c: (count) => count % 2 === 0 });
    assert.ok((await answers(30)).has("503 c"), "c answers before the detector has a full interval");
    await eventually(async () => assert.deepEqual(await answers(30), new Set(["200 a", "200 b"])));
  });

  test("failure percentage ejects a host at or above the threshold", async () => {
    const detection = { ...quiet, failure_percentage_minimum_hosts: { value: 3 }, failure_percentage_request_volume: { value: 10 }, failure_percentage_threshold: { value: 40 }, enforcing_failure_percentage: { value: 100 } };
    await pool("failure-percentage", detection, { b: (count) => count % 2 === 0 });
    await eventually(async () => assert.deepEqual(await answers(30), new Set(["200 a", "200 c"])));
  });

  test("split_external_local_origin_errors: a host refusing connections is ejected by consecutive local origin failures alone", async () => {
    const detection = { ...quiet, split_external_local_origin_errors: true, consecutive_local_origin_failure: { value: 2 }, enforcing_consecutive_local_origin_failure: { value: 100 } };
    await pool("local-origin", detection, {}, [await freePort()]);
    assert.ok([...(await answers(12))].some((answer) => answer.startsWith("503")), "the closed port answers 503 at first");
    await eventually(async () => assert.deepEqual(await answers(12), new Set(["200 a", "200 b", "200 c"])));
  });
});
