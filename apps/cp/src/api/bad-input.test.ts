// Malformed requests through real HTTP: each answered with a 4xx naming the field and the reason, and nothing written.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { resourceTypes } from "@zonemesh/resources";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;

const mtp = {
  type: "MeshTrafficPermission",
  mesh: "default",
  name: "allow",
  spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
};
const mtpPath = "/meshes/default/meshtrafficpermissions/allow";
const withSpec = (spec: object) => ({ ...mtp, spec: { ...mtp.spec, ...spec } });
const dataplane = { type: "Dataplane", mesh: "default", name: "web-1", networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": "web" } }] } };

interface BadInput {
  what: string;
  method?: string;
  path?: string;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
  field: string;
  reason: RegExp;
}

const badInputs: BadInput[] = [
  { what: "malformed JSON", body: '{"type": "MeshTrafficPermission",', status: 400, field: "body", reason: /JSON/ },
  { what: "malformed YAML", body: "type: [Mesh\nname: x", contentType: "application/yaml", status: 400, field: "body", reason: /line \d+/ },
  { what: "empty JSON body", body: " ", status: 400, field: "body", reason: /must not be empty/ },
  { what: "two YAML documents in one PUT", body: "type: Mesh\nname: a\n---\ntype: Mesh\nname: b\n", contentType: "application/yaml", status: 400, field: "body", reason: /found 2 documents/ },
  { what: "a JSON array instead of an object", body: [mtp], status: 400, field: "body", reason: /must be an object/ },
  { what: "unsupported content type", body: "type=Mesh", contentType: "text/plain", status: 415, field: "body", reason: /text\/plain/ },
  { what: "body above the size limit", body: { ...mtp, labels: { big: "x".repeat(70_000) } }, status: 413, field: "body", reason: /too large/i },
  { what: "unknown plural", path: "/meshes/default/meshtrafficpermission/allow", body: mtp, status: 404, field: "type", reason: /not a resource type/ },
  { what: "name not fit for a resource", path: "/meshes/default/meshtrafficpermissions/Bad_Name!", body: { ...mtp, name: "Bad_Name!" }, status: 400, field: "name", reason: /./ },
  { what: "name longer than Kuma allows", path: `/meshes/default/meshtrafficpermissions/${"a".repeat(254)}`, body: { ...mtp, name: "a".repeat(254) }, status: 400, field: "name", reason: /253/ },
  {
    what: "mesh enabling an mTLS backend type this CP cannot issue from",
    path: "/meshes/vaulted",
    body: { type: "Mesh", name: "vaulted", mtls: { enabledBackend: "v", backends: [{ name: "v", type: "vault", conf: {} }] } },
    status: 400,
    field: "mtls.backends[0].type",
    reason: /vault backends cannot be enabled here/,
  },
  {
    what: "mesh with a provided CA whose key Secret does not exist",
    path: "/meshes/default",
    body: { type: "Mesh", name: "default", mtls: { backends: [{ name: "p", type: "provided", conf: { cert: { inlineString: "x" }, key: { secret: "nope" } } }] } },
    status: 400,
    field: "mtls.backends[0].conf.key",
    reason: /Secret "nope" does not exist in this mesh/,
  },
  { what: "mesh that does not exist", path: "/meshes/nowhere/meshtrafficpermissions/allow", body: { ...mtp, mesh: "nowhere" }, status: 400, field: "mesh", reason: /mesh "nowhere" does not exist/ },
  { what: "body type differs from the URL", body: { ...mtp, type: "MeshTimeout" }, status: 400, field: "type", reason: /must match the URL/ },
  { what: "body name differs from the URL", body: { ...mtp, name: "other" }, status: 400, field: "name", reason: /must match the URL/ },
  { what: "body mesh differs from the URL", body: { ...mtp, mesh: "other" }, status: 400, field: "mesh", reason: /must match the URL/ },
  { what: "mesh on a global-scoped type", path: "/zones/east", body: { type: "Zone", name: "east", mesh: "default" }, status: 400, field: "mesh", reason: /not mesh-scoped/ },
  { what: "unknown top-level field", body: { ...mtp, colour: "blue" }, status: 400, field: "colour", reason: /./ },
  { what: "unknown field inside spec", body: withSpec({ extra: true }), status: 400, field: "spec.extra", reason: /./ },
  { what: "invalid enum value deep in spec", body: withSpec({ from: [{ targetRef: { kind: "Mesh" }, default: { action: "Maybe" } }] }), status: 400, field: "spec.from[0].default.action", reason: /./ },
  { what: "targetRef kind not allowed", body: withSpec({ targetRef: { kind: "Zone" } }), status: 400, field: "spec.targetRef.kind", reason: /must be one of/ },
  { what: "label value not a string", body: { ...mtp, labels: { team: 7 } }, status: 400, field: "labels.team", reason: /./ },
  { what: "Dataplane without networking", path: "/meshes/default/dataplanes/web-1", body: { type: "Dataplane", mesh: "default", name: "web-1" }, status: 400, field: "networking", reason: /./ },
  { what: "port out of range", path: "/meshes/default/dataplanes/web-1", body: { ...dataplane, networking: { ...dataplane.networking, inbound: [{ port: 70000, tags: { "kuma.io/service": "web" } }] } }, status: 400, field: "networking.inbound[0].port", reason: /./ },
  { what: "malformed If-Match", body: mtp, headers: { "if-match": "yesterday" }, status: 400, field: "If-Match", reason: /not a resource version/ },
  { what: "If-Match on a resource that does not exist", path: "/meshes/default/meshtrafficpermissions/ghost", body: { ...mtp, name: "ghost" }, headers: { "if-match": '"1"' }, status: 404, field: "", reason: /./ },
  { what: "stale If-Match", path: "/meshes/default/meshtimeouts/existing", body: { type: "MeshTimeout", mesh: "default", name: "existing", spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] } }, headers: { "if-match": '"7"' }, status: 409, field: "version", reason: /you sent 7/ },
  { what: "unsupported list filter", method: "GET", path: "/meshes/default/meshtrafficpermissions?filter[spec]=x", status: 400, field: "filter[spec]", reason: /only supported on labels/ },
  { what: "page size zero", method: "GET", path: "/meshes/default/meshtrafficpermissions?size=0", status: 400, field: "size", reason: /./ },
  { what: "token with a bad validity", method: "POST", path: "/tokens/dataplane", body: { mesh: "default", validFor: "forever" }, status: 400, field: "validFor", reason: /duration/ },
  { what: "token for a mesh that does not exist", method: "POST", path: "/tokens/dataplane", body: { mesh: "nowhere" }, status: 400, field: "mesh", reason: /does not exist/ },
  { what: "delete of a missing resource", method: "DELETE", path: "/meshes/default/meshtrafficpermissions/ghost", status: 404, field: "", reason: /./ },
];

/** Every stored resource's key and version. */
async function snapshot(): Promise<string[]> {
  const lists = await Promise.all(resourceTypes.map((type) => api.store.list({ type: type.name })));
  return lists.flatMap((list) => list.items.map((r) => `${r.type}/${r.mesh}/${r.name}@${r.version}`)).sort();
}

before(async () => {
  api = await startTestApiServer({ bodyLimit: 64 * 1024 });
  await call(api.url, "PUT", "/meshes/default", { body: { type: "Mesh", name: "default" } });
  await call(api.url, "PUT", mtpPath, { body: mtp });
  await call(api.url, "PUT", "/meshes/default/meshtimeouts/existing", {
    body: { type: "MeshTimeout", mesh: "default", name: "existing", spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] } },
  });
});
after(() => api.close());

test(`${badInputs.length} distinct malformed requests each get a 4xx problem naming the field and reason, and leave the store unchanged`, async () => {
  assert.ok(badInputs.length >= 20);
  const before = await snapshot();
  for (const input of badInputs) {
    const { status, body } = await call(api.url, input.method ?? "PUT", input.path ?? mtpPath, {
      body: input.body,
      contentType: input.contentType,
      headers: input.headers,
    });
    assert.equal(status, input.status, `${input.what}: ${JSON.stringify(body)}`);
    assert.equal(body.status, input.status, input.what);
    assert.ok(body.title && body.detail && body.details === body.detail, `${input.what}: problem fields`);
    if (input.field) {
      const match = body.invalid_parameters.find((p: { field: string }) => p.field === input.field);
      assert.ok(match, `${input.what}: no "${input.field}" in ${JSON.stringify(body.invalid_parameters)}`);
      assert.match(match.reason, input.reason, input.what);
      assert.ok(body.causes.some((c: { field: string; message: string }) => c.field === input.field && c.message === match.reason), `${input.what}: Kuma causes`);
    } else {
      assert.match(body.detail, input.reason, input.what);
    }
  }
  assert.deepEqual(await snapshot(), before);
});
