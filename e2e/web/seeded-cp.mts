// A global CP API on a fixed port with a small two-zone mesh seeded the way KDS would sync it, for the GUI's e2e run.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@zonemesh/store";
import { createApiServer, loadOrCreateSigningKeys } from "@zonemesh/cp/api-server";
import { seedDataplane, seedMesh, seedZone } from "../../apps/web/src/server/testing/cp-api";

const port = Number(process.env.ZONEMESH_E2E_CP_PORT ?? 5791);
const store = await openStore({ dataDir: await mkdtemp(join(tmpdir(), "zonemesh-e2e-web-")) });
await seedMesh(store, "default", true);
await seedZone(store, "east", true);
await seedZone(store, "west", false);
await seedDataplane(store, { mesh: "default", name: "web-east-1", zone: "east", service: "web", status: "online" });
await seedDataplane(store, { mesh: "default", name: "api-west-1", zone: "west", service: "api", status: "online" });
await seedDataplane(store, { mesh: "default", name: "api-east-1", zone: "east", service: "api", status: "offline" });
await store.upsert({
  type: "MeshTrafficPermission",
  mesh: "default",
  name: "web-to-api",
  spec: { spec: { targetRef: { kind: "MeshService", name: "api" }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action: "Allow" } }] } },
});
const server = await createApiServer({
  store,
  mode: "global",
  signingKeys: await loadOrCreateSigningKeys(store),
  version: "0.0.0-e2e",
  listen: { host: "127.0.0.1", port },
});
console.log(`seeded CP API at ${server.address.url}`);
