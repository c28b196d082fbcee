// Kuma's data plane proxy membership through the real HTTP API: a mesh's constraints decide which dataplanes may join.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
before(async () => {
  api = await startTestApiServer();
  const constraints = { dataplaneProxy: { requirements: [{ tags: { "kuma.io/zone": "east" } }, { tags: { team: "*" } }], restrictions: [{ tags: { "kuma.io/service": "legacy" } }] } };
  assert.equal((await call(api.url, "PUT", "/meshes/guarded", { body: { type: "Mesh", name: "guarded", skipCreatingInitialPolicies: ["*"], constraints } })).status, 201);
});
after(() => api.close());

const dataplane = (name: string, ...inbounds: Record<string, string>[]) => ({
  type: "Dataplane",
  mesh: "guarded",
  name,
  networking: { address: "10.0.0.1", inbound: inbounds.map((tags, index) => ({ port: 8080 + index, tags })) },
});
const put = (body: ReturnType<typeof dataplane>) => call(api.url, "PUT", `/meshes/guarded/dataplanes/${body.name}`, { body });

test("a dataplane whose every inbound meets a requirement (all its tags, * for any value) joins the mesh", async () => {
  assert.equal((await put(dataplane("web-1", { "kuma.io/service": "web", "kuma.io/zone": "east" }, { "kuma.io/service": "web-admin", team: "payments" }))).status, 201);
});

test("a dataplane with an inbound meeting no requirement is refused, naming the inbound and the constraint; nothing is stored", async () => {
  const refused = await put(dataplane("web-2", { "kuma.io/service": "web", "kuma.io/zone": "east" }, { "kuma.io/service": "web-admin", "kuma.io/zone": "west" }));
  assert.equal(refused.status, 400);
  assert.match(refused.body.detail, /dataplane cannot be a member of mesh "guarded"/);
  assert.equal(refused.body.invalid_parameters[0].field, "networking.inbound");
  assert.match(refused.body.invalid_parameters[0].reason, /port 8081 \(kuma.io\/service=web-admin, kuma.io\/zone=west\) match none of the requirements/);
  assert.equal((await call(api.url, "GET", "/meshes/guarded/dataplanes/web-2")).status, 404);
});

test("a dataplane matching a restriction is refused, also on update of one that had joined", async () => {
  const refused = await put(dataplane("legacy-1", { "kuma.io/service": "legacy", "kuma.io/zone": "east" }));
  assert.equal(refused.status, 400);
  assert.match(refused.body.invalid_parameters[0].reason, /match the restriction kuma.io\/service=legacy/);
  const update = await put(dataplane("web-1", { "kuma.io/service": "legacy", "kuma.io/zone": "east" }));
  assert.equal(update.status, 400);
  assert.equal((await call(api.url, "GET", "/meshes/guarded/dataplanes/web-1")).body.networking.inbound[0].tags["kuma.io/service"], "web");
});
