// Kuma's mesh defaults: a new mesh comes with its initial policies (through the real HTTP API on SQLite), and a
// global or standalone control plane starts with the mesh `default`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseResource } from "@zonemesh/resources";
import { freePort } from "@zonemesh/testing";
import { readConfig } from "../config";
import { startControlPlane } from "../control-plane";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
before(async () => {
  api = await startTestApiServer({ mode: "global" });
});
after(() => api.close());

const POLICY_PLURALS = ["meshtimeouts", "meshcircuitbreakers", "meshretries"];

async function policyNames(mesh: string): Promise<string[]> {
  const names: string[] = [];
  for (const plural of POLICY_PLURALS) {
    const list = await call(api.url, "GET", `/meshes/${mesh}/${plural}`);
    assert.equal(list.status, 200);
    names.push(...list.body.items.map((item: { name: string }) => item.name));
  }
  return names.sort();
}

test("a new mesh is created with Kuma's default MeshTimeouts, MeshCircuitBreaker and MeshRetry, each valid", async () => {
  assert.equal((await call(api.url, "PUT", "/meshes/alpha", { body: { type: "Mesh", name: "alpha" } })).status, 201);
  assert.deepEqual(await policyNames("alpha"), [
    "mesh-circuit-breaker-all-alpha",
    "mesh-retry-all-alpha",
    "mesh-timeout-all-alpha",
    "mesh-timeout-to-all-alpha",
  ]);
  for (const plural of POLICY_PLURALS) {
    for (const item of (await call(api.url, "GET", `/meshes/alpha/${plural}`)).body.items) {
      const parsed = parseResource(item);
      assert.ok(parsed.ok, `${item.name}: ${JSON.stringify(!parsed.ok && parsed.errors)}`);
    }
  }
  const retry = await call(api.url, "GET", "/meshes/alpha/meshretries/mesh-retry-all-alpha");
  assert.deepEqual(retry.body.spec.to[0].default.http, { numRetries: 5, perTryTimeout: "16s", backOff: { baseInterval: "25ms", maxInterval: "250ms" } });
});

test("skipCreatingInitialPolicies skips the listed types, or all of them with *", async () => {
  const some = { type: "Mesh", name: "beta", skipCreatingInitialPolicies: ["MeshRetry", "MeshTimeout"] };
  assert.equal((await call(api.url, "PUT", "/meshes/beta", { body: some })).status, 201);
  assert.deepEqual(await policyNames("beta"), ["mesh-circuit-breaker-all-beta"]);

  const none = { type: "Mesh", name: "gamma", skipCreatingInitialPolicies: ["*"] };
  assert.equal((await call(api.url, "PUT", "/meshes/gamma", { body: none })).status, 201);
  assert.deepEqual(await policyNames("gamma"), []);
});

test("updating a mesh does not bring back a default policy the user deleted", async () => {
  assert.equal((await call(api.url, "PUT", "/meshes/delta", { body: { type: "Mesh", name: "delta" } })).status, 201);
  assert.equal((await call(api.url, "DELETE", "/meshes/delta/meshretries/mesh-retry-all-delta")).status, 200);
  const mtls = { type: "Mesh", name: "delta", mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } };
  assert.equal((await call(api.url, "PUT", "/meshes/delta", { body: mtls })).status, 200);
  assert.ok(!(await policyNames("delta")).includes("mesh-retry-all-delta"));
});

test("deleting the mesh takes its default policies with it; recreating it creates them again", async () => {
  assert.equal((await call(api.url, "PUT", "/meshes/epsilon", { body: { type: "Mesh", name: "epsilon" } })).status, 201);
  assert.equal((await call(api.url, "DELETE", "/meshes/epsilon")).status, 200);
  assert.equal((await call(api.url, "GET", "/meshes/epsilon/meshretries/mesh-retry-all-epsilon")).status, 404);
  assert.equal((await call(api.url, "PUT", "/meshes/epsilon", { body: { type: "Mesh", name: "epsilon" } })).status, 201);
  assert.equal((await policyNames("epsilon")).length, 4);
});

test("a global CP starts with the mesh default and its initial policies, creates it again at the next start if it was deleted, not with --skip-default-mesh", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "zonemesh-default-mesh-"));
  const start = async (...flags: string[]) => {
    const cp = await startControlPlane(readConfig(["--mode", "global", "--data-dir", dataDir, "--api-port", "0", "--kds-port", String(await freePort()), ...flags], {}));
    const get = (path: string) => call(cp.api.address.url, "GET", path);
    return { cp, get };
  };
  try {
    let { cp, get } = await start();
    assert.equal((await get("/meshes/default")).status, 200);
    assert.equal((await get("/meshes/default/meshretries/mesh-retry-all-default")).status, 200);
    assert.equal((await call(cp.api.address.url, "DELETE", "/meshes/default")).status, 200);
    await cp.close();

    ({ cp, get } = await start("--skip-default-mesh"));
    assert.equal((await get("/meshes/default")).status, 404);
    await cp.close();

    ({ cp, get } = await start());
    assert.equal((await get("/meshes/default")).status, 200);
    assert.equal((await get("/meshes/default/meshtimeouts")).body.items.length, 2);
    await cp.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
