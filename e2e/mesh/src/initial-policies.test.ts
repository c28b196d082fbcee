// A mesh created without skipCreatingInitialPolicies gets Kuma's default policies on the global; they reach the zone
// and its real dps, which accept them and act on them: the default MeshRetry retries a 503.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listResources } from "@zonemesh/cp/testing/multizone";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { get, type TestBackend } from "@zonemesh/dp/testing/backends";
import { allowAll, builtinMtls, nacks, PROPAGATION_MS, startClientAndBackend, startZoneCluster, type ZoneCluster } from "./harness";
import { scriptedBackend } from "./harness/workloads";

const mesh = "default";

describe("Kuma's initial policies of a new mesh on real dps", { timeout: 300_000 }, () => {
  let cluster: ZoneCluster;
  let backend: TestBackend;
  const attempts = new Map<string, number>();
  let outbound: number;

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"], meshBody: builtinMtls });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    backend = await scriptedBackend("backend", attempts);
    ({ outbound } = await startClientAndBackend(cluster, "east", backend.port));
  });
  after(async () => {
    await cluster?.stop();
    await backend?.close();
  });

  test("the zone CP receives the mesh's default MeshTimeouts, MeshCircuitBreaker and MeshRetry from the global", async () => {
    await eventually(async () => {
      const names = (await Promise.all(["meshtimeouts", "meshcircuitbreakers", "meshretries"].map((plural) => listResources(cluster.zones.east!, plural, mesh))))
        .flat()
        .map((item) => (item.labels as Record<string, string>)["kuma.io/display-name"] ?? item.name)
        .sort();
      assert.deepEqual(names, ["mesh-circuit-breaker-all-default", "mesh-retry-all-default", "mesh-timeout-all-default", "mesh-timeout-to-all-default"]);
    }, PROPAGATION_MS);
  });

  test("the default MeshRetry retries a 503 up to 5 times (backing off 25-250 ms), and no dp NACKs the defaults", async () => {
    let key = "";
    await eventually(async () => {
      key = `k${Date.now()}`;
      const response = await get(outbound, `/flaky/${key}/2`);
      assert.equal(response.status, 200, `${response.status} ${response.body}`);
    }, PROPAGATION_MS);
    assert.equal(attempts.get(key), 3);
    const exhausted = await get(outbound, "/flaky/exhausted/99");
    assert.equal(exhausted.status, 503, exhausted.body);
    assert.equal(attempts.get("exhausted"), 6, "the first attempt and 5 retries");
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
