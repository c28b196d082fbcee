// Mesh `metrics` with a prometheus backend on a real dp: Prometheus scrapes the proxy's stats at the backend's port
// and path on the dataplane's address, served from its admin endpoint (which stays on 127.0.0.1); with the mesh's
// mTLS, unless skipMTLS, scrapers need a mesh certificate. A MeshMetric selecting the dataplane takes over.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { get, type TestBackend } from "@zonemesh/dp/testing/backends";
import { freePort } from "@zonemesh/testing";
import { builtinMtls, nacks, PROPAGATION_MS, startZoneCluster, type ZoneCluster } from "./harness";
import { dataplaneYaml, scriptedBackend } from "./harness/workloads";

const mesh = "default";

/** What Prometheus gets at `path` on `port`, once the proxy serves it. */
const scrape = (port: number, path: string) =>
  eventually(async () => {
    const response = await get(port, path);
    assert.equal(response.status, 200);
    return response.body;
  }, PROPAGATION_MS);

describe("Mesh metrics (prometheus) on a real dp", { timeout: 300_000 }, () => {
  let cluster: ZoneCluster;
  let backend: TestBackend;
  let metricsPort: number;
  const meshWithMetrics = (conf: Record<string, unknown>) => ({
    type: "Mesh",
    name: mesh,
    skipCreatingInitialPolicies: ["*"],
    ...builtinMtls,
    metrics: { enabledBackend: "prometheus-1", backends: [{ name: "prometheus-1", type: "prometheus", conf: { port: metricsPort, path: "/metrics", ...conf } }] },
  });

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"] });
    backend = await scriptedBackend("backend");
    metricsPort = await freePort();
    await cluster.applyOnGlobal("meshes", meshWithMetrics({ skipMTLS: true }));
    await cluster.startDataplane({
      zone: "east",
      yaml: dataplaneYaml({ name: "backend", inbound: { port: await freePort(), servicePort: backend.port, tags: { "kuma.io/service": "backend", "kuma.io/protocol": "http" } } }),
    });
  });
  after(async () => {
    await cluster?.stop();
    await backend?.close();
  });

  test("skipMTLS: Prometheus gets the proxy's stats at the backend's port and path, and nothing else of the admin endpoint", async () => {
    assert.match(await scrape(metricsPort, "/metrics"), /^zonemesh_dp_ads_ack_total\{/m);
    for (const path of ["/stats/prometheus", "/config_dump", "/ready"]) assert.equal((await get(metricsPort, path)).status, 404, path);
  });

  test("without skipMTLS on the mTLS mesh, a scraper without a mesh certificate is refused", async () => {
    await cluster.applyOnGlobal("meshes", meshWithMetrics({}));
    await eventually(() => assert.rejects(get(metricsPort, "/metrics")), PROPAGATION_MS);
  });

  test("a MeshMetric selecting the dataplane replaces the Mesh's backend: its Prometheus port and path serve in plaintext; no NACK", async () => {
    const meshMetricPort = await freePort();
    await cluster.applyOnGlobal("meshmetrics", {
      type: "MeshMetric",
      mesh,
      name: "backend-metrics",
      spec: { targetRef: { kind: "Dataplane", name: "backend" }, default: { backends: [{ type: "Prometheus", prometheus: { port: meshMetricPort, path: "/prometheus" } }] } },
    });
    assert.match(await scrape(meshMetricPort, "/prometheus"), /^zonemesh_dp_ads_ack_total\{/m);
    await eventually(() => assert.rejects(get(metricsPort, "/metrics"), /ECONNREFUSED/), PROPAGATION_MS);
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
