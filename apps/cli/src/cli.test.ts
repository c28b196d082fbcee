// zmctl as a real child process against a real API server (SQLite store in a temp dir).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { resourceTypes } from "@zonemesh/resources";
import { createApiServer, loadOrCreateSigningKeys } from "@zonemesh/cp/api-server";
import { createMeshCa } from "@zonemesh/cp/ca";
import { type TestApiServer, exampleResource, startTestApiServer } from "@zonemesh/cp/testing";
import { zmctl } from "./test-support";

let api: TestApiServer;
let dir: string;
let run: (...args: string[]) => ReturnType<typeof zmctl>;

const writeYaml = async (name: string, documents: object[]) => {
  const path = join(dir, name);
  await writeFile(path, documents.map((d) => stringify(d)).join("---\n"));
  return path;
};
const withoutTimes = ({ creationTime: _c, modificationTime: _m, ...rest }: Record<string, unknown>) => rest;

before(async () => {
  api = await startTestApiServer();
  dir = await mkdtemp(join(tmpdir(), "zmctl-test-"));
  run = (...args) => zmctl(["--api-url", api.url, ...args]);
  await api.store.create({ type: "Mesh", mesh: "", name: "default", spec: {} });
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

test("every resource type: apply creates, get reads and lists, apply again updates, delete -f deletes", async () => {
  const documents = [
    exampleResource({ name: "Mesh", scope: "Global" }, "cli"),
    ...resourceTypes.filter((t) => t.name !== "Mesh").map((type) => exampleResource(type, `cli-${type.plural}`, "cli")),
  ];
  const file = await writeYaml("all.yaml", documents);

  const created = await run("apply", "-f", file);
  assert.equal(created.code, 0, created.stderr);
  for (const d of documents) assert.match(created.stdout, new RegExp(`${d.type} "${d.name}".* created`));

  const read = await run("get", "-f", file, "-o", "json");
  assert.equal(read.code, 0, read.stderr);
  assert.deepEqual(JSON.parse(read.stdout).items.map(withoutTimes), documents);

  const listed = await run("get", resourceTypes.map((t) => t.plural).join(","), "-m", "cli", "-o", "json");
  assert.equal(listed.code, 0, listed.stderr);
  const names = new Set(JSON.parse(listed.stdout).items.map((r: { type: string; name: string }) => `${r.type}/${r.name}`));
  for (const d of documents) assert.ok(names.has(`${d.type}/${d.name}`), `${d.type}/${d.name} listed`);

  const relabelled = documents.map((d) => ({ ...d, labels: { team: "edge" } }));
  const updated = await run("apply", "-f", await writeYaml("all-updated.yaml", relabelled));
  assert.equal(updated.code, 0, updated.stderr);
  for (const d of documents) assert.match(updated.stdout, new RegExp(`${d.type} "${d.name}".* updated`));
  const stored = await api.store.list({ type: "MeshTimeout", mesh: "cli" });
  assert.deepEqual(stored.items[0]!.labels, { team: "edge" });

  const deleted = await run("delete", "-f", file);
  assert.equal(deleted.code, 0, deleted.stderr);
  for (const d of documents) assert.match(deleted.stdout, new RegExp(`${d.type} "${d.name}".* deleted`));
  const gone = await run("get", "-f", file);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /not found/);
});

const permission = (action: string) => ({
  type: "MeshTrafficPermission",
  mesh: "default",
  name: "allow-web",
  labels: { team: "core" },
  spec: { targetRef: { kind: "MeshService", name: "web" }, from: [{ targetRef: { kind: "Mesh" }, default: { action } }] },
});

test("get takes the type singular or plural in any case and prints table, yaml and json", async () => {
  assert.equal((await run("apply", "-f", await writeYaml("mtp.yaml", [permission("Allow")]))).code, 0);

  const yaml = await run("get", "MeshTrafficPermission", "allow-web", "-o", "yaml");
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.deepEqual(withoutTimes(parse(yaml.stdout)), permission("Allow"));

  const json = await run("get", "MESHTRAFFICPERMISSIONS", "-m", "default", "-o", "json");
  assert.deepEqual(JSON.parse(json.stdout).items.map(withoutTimes), [permission("Allow")]);

  const table = await run("get", "meshtrafficpermission");
  assert.equal(table.code, 0, table.stderr);
  const [header, row] = table.stdout.trim().split("\n");
  assert.deepEqual(header!.split(/\s+/), ["MESH", "NAME", "TARGETREF", "LABELS", "AGE"]);
  assert.match(row!, /^default\s+allow-web\s+MeshService\/web\s+team=core\s+\d+s$/);

  const unknown = await run("get", "meshtrafficpermits");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown resource type "meshtrafficpermits"/);
});

test("apply --if-version refuses to overwrite a newer version (409) and says which field", async () => {
  const file = await writeYaml("mtp-v.yaml", [permission("Deny")]);
  assert.equal((await run("apply", "-f", file)).code, 0);
  const stored = await api.store.get({ type: "MeshTrafficPermission", mesh: "default", name: "allow-web" });
  const stale = await run("apply", "-f", file, "--if-version", String(stored!.version - 1));
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /Conflict: .*was modified/);
  assert.match(stale.stderr, /^\s+version: stale: you sent \d+, the current version is \d+$/m);
  const fresh = await run("apply", "-f", file, "--if-version", String(stored!.version));
  assert.equal(fresh.code, 0, fresh.stderr);
});

test("apply validates every document first, prints file/document/field/reason and writes nothing", async () => {
  const good = { ...permission("Allow"), name: "would-be-created" };
  const file = await writeYaml("bad.yaml", [good, { type: "MeshTrafficPermit", mesh: "default", name: "x" }, { ...permission("Maybe"), name: "bad-action" }]);
  const result = await run("apply", "-f", file);
  assert.equal(result.code, 1);
  assert.match(result.stderr, new RegExp(`${file}: document 2: type: unknown type "MeshTrafficPermit"`));
  assert.match(result.stderr, new RegExp(`${file}: document 3: spec\\.from\\[0\\]\\.default\\.action: `));
  assert.match(result.stderr, /nothing applied/);
  assert.equal(await api.store.get({ type: "MeshTrafficPermission", mesh: "default", name: "would-be-created" }), null);

  const broken = await zmctl(["--api-url", api.url, "apply", "-f", "-"], { stdin: "type: [Mesh\nname: x\n" });
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /<stdin>: documents\[0\]: line \d+/);
});

test("server-side problems are printed as field: reason lines", async () => {
  const file = await writeYaml("nowhere.yaml", [{ ...permission("Allow"), mesh: "nowhere" }]);
  const result = await run("apply", "-f", file);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^\s+mesh: mesh "nowhere" does not exist$/m);

  const unreachable = await zmctl(["--api-url", "http://127.0.0.1:9", "get", "meshes"]);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /cannot reach the control plane at http:\/\/127\.0\.0\.1:9/);
  assert.equal((await zmctl(["frobnicate"])).code, 2);
});

test("inspect shows the policies and rules of a dataplane and the dataplanes of a policy; delete removes one resource", async () => {
  const dataplane = { ...exampleResource({ name: "Dataplane", scope: "Mesh" }, "web-1") };
  const faults = {
    type: "MeshFaultInjection",
    mesh: "default",
    name: "canary-faults",
    spec: { rules: [{ matches: [{ spiffeID: { type: "Prefix", value: "spiffe://default/canary" } }], default: { http: [{ abort: { httpStatus: 503, percentage: 100 } }] } }] },
  };
  const metrics = {
    type: "MeshMetric",
    mesh: "default",
    name: "scrape-web",
    spec: { targetRef: { kind: "Dataplane", name: "web-1" }, default: { backends: [{ type: "Prometheus", prometheus: { port: 5670 } }] } },
  };
  assert.equal((await run("apply", "-f", await writeYaml("dp.yaml", [dataplane, permission("Allow"), faults, metrics]))).code, 0);

  const dp = await run("inspect", "dataplane", "web-1", "-m", "default");
  assert.equal(dp.code, 0, dp.stderr);
  assert.match(dp.stdout, /MeshTrafficPermission\s+allow-web/);
  assert.match(dp.stdout, /MeshTrafficPermission\s+from :8080\s+\*\s+\{"action":"Allow"\}\s+allow-web/);
  assert.match(dp.stdout, /MeshFaultInjection\s+inbound :8080\s+spiffe:\/\/default\/canary\*\s+\{"http":\[\{"abort".*\s+canary-faults/);
  assert.match(dp.stdout, /MeshMetric\s+proxy\s+\*\s+\{"backends":\[\{"type":"Prometheus","prometheus":\{"port":5670\}\}\]\}\s+scrape-web/);

  const policy = await run("inspect", "policy", "meshtrafficpermission", "allow-web", "-o", "json");
  assert.deepEqual(JSON.parse(policy.stdout).dataplanes.map((d: { name: string }) => d.name), ["web-1"]);

  // On a global CP a zone's dataplane is stored under a zone-scoped name: inspect finds it by the name it has in its zone.
  const inZone = (name: string, zone: string) => ({
    type: "Dataplane",
    mesh: "default",
    name: `${name}-${zone}-x7k2`,
    labels: { "kuma.io/display-name": name, "kuma.io/zone": zone },
    spec: { networking: { address: "10.0.0.9", inbound: [{ port: 8080, tags: { "kuma.io/service": "web" } }] } },
  });
  for (const [name, zone] of [["web-9", "east"], ["api-1", "east"], ["api-1", "west"]] as const) await api.store.upsert(inZone(name, zone));
  const byZoneName = await run("inspect", "dataplane", "web-9", "-o", "json");
  assert.equal(byZoneName.code, 0, byZoneName.stderr);
  assert.ok(JSON.parse(byZoneName.stdout).policies.some((p: { name: string }) => p.name === "allow-web"), byZoneName.stdout);
  const ambiguous = await run("inspect", "dataplane", "api-1");
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /dataplane "api-1" is in several zones: api-1-east-x7k2 \(zone east\), api-1-west-x7k2 \(zone west\); name one of them/);
  for (const [name, zone] of [["web-9", "east"], ["api-1", "east"], ["api-1", "west"]] as const) await api.store.delete({ type: "Dataplane", mesh: "default", name: `${name}-${zone}-x7k2` });

  const deleted = await run("delete", "dataplane", "web-1", "-m", "default");
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(await api.store.get({ type: "Dataplane", mesh: "default", name: "web-1" }), null);
});

test("generated tokens: an admin token lets a remote caller in; dataplane, zone and zone ingress tokens carry their claims", async () => {
  // A second CP instance on the same store, for which 127.0.0.1 is not a local address: the CLI is remote to it.
  const remote = await createApiServer({
    store: api.store,
    mode: "standalone",
    signingKeys: await loadOrCreateSigningKeys(api.store),
    version: "test",
    listen: { host: "127.0.0.1", port: 0 },
    localAddresses: [],
  });
  try {
    const admin = await run("generate", "admin-token", "--name", "ci", "--valid-for", "1h");
    assert.equal(admin.code, 0, admin.stderr);
    const token = admin.stdout.trim();

    const refused = await zmctl(["--api-url", remote.address.url, "get", "meshes"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /need an admin token/);
    assert.equal((await zmctl(["--api-url", remote.address.url, "--token", token, "get", "meshes"])).code, 0);
    const viaEnv = await zmctl(["get", "meshes", "-o", "json"], { env: { ZMCTL_API_URL: remote.address.url, ZMCTL_TOKEN: token } });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok(JSON.parse(viaEnv.stdout).items.some((m: { name: string }) => m.name === "default"));

    const dataplaneToken = await run("generate", "dataplane-token", "--mesh", "default", "--name", "web-1", "--tag", "kuma.io/service=web");
    const claims = await api.server.tokens.verifyToken("dataplane", dataplaneToken.stdout.trim());
    assert.deepEqual([claims.mesh, claims.name, claims.tags], ["default", "web-1", { "kuma.io/service": ["web"] }]);
    const zoneToken = await run("generate", "zone-token", "--zone", "east");
    assert.equal((await api.server.tokens.verifyToken("zone", zoneToken.stdout.trim())).zone, "east");
    const ingressToken = await run("generate", "zone-ingress-token", "--zone", "east");
    assert.equal((await api.server.tokens.verifyToken("zone-ingress", ingressToken.stdout.trim())).zone, "east");
    const missing = await run("generate", "zone-token");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--zone is required/);
  } finally {
    await remote.close();
  }
});

// Last: these examples add policies and dataplanes to mesh "default" that the tests above do not expect.
test("Kuma's documented examples apply unchanged", async () => {
  const fixtures = fileURLToPath(new URL("../../../packages/resources/test/fixtures/kuma-docs/", import.meta.url));
  const files = (await readdir(fixtures)).filter((f) => f.endsWith(".yaml")).map((f) => join(fixtures, f));
  assert.ok(files.length > 10);
  await api.store.create({ type: "Mesh", mesh: "", name: "mesh-1", spec: {} });
  // The provided-CA example names a Secret holding the CA's certificate and key: it has to exist, and be a CA.
  const ca = await createMeshCa("docs-ca");
  await api.store.upsert({ type: "Secret", mesh: "default", name: "name-of-secret", spec: { data: Buffer.from(`${ca.certPem.trimEnd()}\n${ca.keyPem}`).toString("base64") } });
  const result = await run("apply", ...files.flatMap((f) => ["-f", f]));
  assert.equal(result.code, 0, result.stderr);
  const applied = result.stdout.trim().split("\n");
  assert.ok(applied.length >= 50, `${applied.length} resources applied`);
  for (const line of applied) assert.match(line, / (created|updated)$/);
});
