// Cross-zone service discovery through real processes: a zone CP lists its services on its ZoneIngress, and the
// other zone receives that ingress, with the list, through the global.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CpProcess } from "../testing/cp-process";
import { eventually } from "../testing/eventually";
import { apply, fetchResource, startMultiZone } from "../testing/multizone";
import { zoneScopedName } from "./zone-scoped-name";

const CONVERGE_MS = 30_000;

const backendIn = (ingress: { availableServices?: { tags: Record<string, string>; instances: number; mesh: string }[] } | undefined) =>
  ingress?.availableServices?.find((available) => available.tags["kuma.io/service"] === "backend");

test("a zone's ingress lists its services, and the other zone sees them through the global", { timeout: 300_000 }, async () => {
  const { global, zones } = await startMultiZone(["east", "west"]);
  const { east, west } = zones as { east: CpProcess; west: CpProcess };
  try {
    await apply(global, "meshes", { type: "Mesh", name: "default", mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } });
    await eventually(async () => assert.ok(await fetchResource(east, "meshes", "default")), CONVERGE_MS);
    await apply(east, "zoneingresses", {
      type: "ZoneIngress",
      name: "ingress",
      networking: { address: "10.0.1.1", port: 10001, advertisedAddress: "192.0.2.1", advertisedPort: 10001 },
    });
    await apply(east, "dataplanes", {
      type: "Dataplane",
      mesh: "default",
      name: "backend-1",
      networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": "backend" } }] },
    });

    await eventually(async () => {
      const available = backendIn(await fetchResource(east, "zoneingresses", "ingress"));
      assert.equal(available?.instances, 1);
      assert.equal(available.mesh, "default");
    }, CONVERGE_MS);
    // Written only when it changes: its own write does not start a loop through the change feed.
    const written = (await fetchResource(east, "zoneingresses", "ingress")).modificationTime;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal((await fetchResource(east, "zoneingresses", "ingress")).modificationTime, written);
    await eventually(async () => {
      const copy = await fetchResource(west, "zoneingresses", zoneScopedName("", "ingress", "east"));
      assert.equal(copy?.labels["kuma.io/zone"], "east");
      assert.equal(backendIn(copy)?.instances, 1);
      assert.equal(backendIn(copy)?.mesh, "default");
    }, CONVERGE_MS);
  } finally {
    await Promise.all([global, east, west].map((cp) => cp.remove()));
  }
});
