import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openStore } from "@zonemesh/store";
import { eventually } from "../testing/eventually";
import { MeshCas, caCertSecretName, caKeySecretName } from "../xds/server/mesh-cas";
import { startGlobalMeshCas } from "./global-mesh-cas";

const builtin = { mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } };
const builtinBackend = { name: "ca-1", type: "builtin" } as const;

test("the global creates the CA of a mesh's enabled builtin backend (meshes from before its start too); a zone waits for the global's", { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "zonemesh-mesh-cas-"));
  const [global, zone] = [await openStore({ dataDir: join(dir, "global") }), await openStore({ dataDir: join(dir, "zone") })];
  const secret = (store: typeof global, mesh: string) => store.get({ type: "Secret", mesh, name: caCertSecretName(mesh, "ca-1") });
  try {
    await global.create({ type: "Mesh", mesh: "", name: "early", spec: builtin });
    const component = await startGlobalMeshCas(global);
    try {
      assert.ok(await secret(global, "early"), "a mesh created before the start has its CA");
      await global.create({ type: "Mesh", mesh: "", name: "plain", spec: {} });
      await global.create({ type: "Mesh", mesh: "", name: "later", spec: builtin });
      await eventually(async () => assert.ok(await secret(global, "later")), 10_000);
      assert.equal(await secret(global, "plain"), null, "no mTLS, no CA");
    } finally {
      await component.close();
    }

    // A zone holding the mesh from the global (as KDS stores it) but not its Secrets yet creates no CA of its own.
    await zone.create({ type: "Mesh", mesh: "", name: "later", labels: { "kuma.io/origin": "global" }, spec: builtin });
    const zoneCas = new MeshCas(zone);
    await assert.rejects(zoneCas.get("later", builtinBackend), /the CA of mesh "later" \(mTLS backend "ca-1"\) has not arrived from the global CP yet/);
    assert.equal(await secret(zone, "later"), null);
    for (const name of [caKeySecretName("later", "ca-1"), caCertSecretName("later", "ca-1")]) {
      const stored = (await global.get({ type: "Secret", mesh: "later", name }))!;
      await zone.create({ type: "Secret", mesh: "later", name, labels: { "kuma.io/origin": "global" }, spec: stored.spec });
    }
    assert.deepEqual(await zoneCas.get("later", builtinBackend), await new MeshCas(global).get("later", builtinBackend));
  } finally {
    await Promise.all([global.close(), zone.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});
