// Real traffic through real dps while processes die: the server dp (SIGKILL, then started again) and the zone CP
// (SIGKILL, then started again on the same ports and store). mTLS on, policies from the global.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { httpBackend, type TestBackend } from "@zonemesh/dp/testing/backends";
import { freePort } from "@zonemesh/testing";
import { allowAll, nacks, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { startTraffic, type Traffic } from "./harness/traffic";
import { dataplaneYaml } from "./harness/workloads";

const mesh = "default";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statuses = (results: { status: number }[]) => [...new Set(results.map((result) => result.status))].sort();

describe("resilience of real traffic (global + zone east, dps with mTLS)", { timeout: 600_000 }, () => {
  let cluster: ZoneCluster;
  let app: TestBackend;
  let server: DataplaneProcess;
  let client: DataplaneProcess;
  let outbound: number;
  let traffic: Traffic | undefined;

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"] });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    app = await httpBackend("backend");
    outbound = await freePort();
    [server, client] = await Promise.all([
      cluster.startDataplane({ zone: "east", yaml: dataplaneYaml({ name: "backend-1", inbound: { port: await freePort(), servicePort: app.port, tags: { "kuma.io/service": "backend", "kuma.io/protocol": "http" } } }) }),
      cluster.startDataplane({
        zone: "east",
        yaml: dataplaneYaml({ name: "client", inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "client", "kuma.io/protocol": "http" } }, outbound: [{ port: outbound, service: "backend" }] }),
      }),
    ]);
    traffic = startTraffic(outbound);
    await eventually(() => assert.deepEqual(statuses(traffic!.results.slice(-5)), [200]), PROPAGATION_MS);
  });
  after(async () => {
    await traffic?.stop();
    await cluster?.stop();
    await app?.close();
  });

  test("the server dp SIGKILLed mid-traffic: requests fail, and recover within seconds of it starting again", async () => {
    await server.kill();
    const killedAt = Date.now();
    await eventually(() => assert.ok(traffic!.since(killedAt).some((result) => result.status !== 200), "no request failed after the kill"), 10_000);
    const restarting = Date.now();
    server = await cluster.restartDataplane(server);
    await server.waitReady();
    const readyAt = Date.now();
    const recoveredAt = await eventually(() => {
      const ok = traffic!.since(restarting).find((result) => result.status === 200);
      assert.ok(ok, "no request succeeded since the restart");
      return ok.at;
    }, 10_000);
    assert.ok(recoveredAt - readyAt < 5_000, `recovered ${recoveredAt - readyAt} ms after the new dp was ready`);
    await sleep(1_000);
    assert.deepEqual(statuses(traffic!.since(recoveredAt + 500)), [200], "requests failed again after the recovery");
  });

  test("the zone CP SIGKILLed mid-traffic: traffic keeps flowing on the last good config; started again, the dps reconnect and take new policies", async () => {
    await cluster.killZone("east");
    const killedAt = Date.now();
    await eventually(async () => assert.equal((await client.configDump()).connected, false), 10_000);
    await sleep(3_000);
    const whileDown = traffic!.since(killedAt);
    assert.ok(whileDown.length > 20, `only ${whileDown.length} requests while the CP was down`);
    assert.deepEqual(statuses(whileDown), [200], "requests failed while the zone CP was down");

    await cluster.restartZone("east");
    await eventually(async () => {
      assert.equal((await client.configDump()).connected, true, "client dp not reconnected");
      assert.equal((await server.configDump()).connected, true, "server dp not reconnected");
    }, PROPAGATION_MS * 2);
    assert.deepEqual(statuses(traffic!.since(killedAt)), [200], "requests failed around the zone CP restart");
    // New config flows again: a fault injected from the global reaches the server dp through the restarted zone CP.
    const applied = Date.now();
    await cluster.applyOnGlobal("meshfaultinjections", {
      type: "MeshFaultInjection",
      mesh,
      name: "after-restart",
      spec: { targetRef: { kind: "MeshService", name: "backend" }, from: [{ targetRef: { kind: "Mesh" }, default: { http: [{ abort: { httpStatus: 418, percentage: 100 } }] } }] },
    });
    await eventually(() => assert.ok(traffic!.since(applied).some((result) => result.status === 418), "the fault never showed"), PROPAGATION_MS);
  });

  test("no dp NACKed any of the config the zone CP generated for it", async () => {
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
