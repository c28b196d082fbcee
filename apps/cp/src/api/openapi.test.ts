import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { resourceTypes } from "@zonemesh/resources";
import { toFastifyPath } from "./route";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;
before(async () => {
  api = await startTestApiServer();
});
after(() => api.close());

test("the OpenAPI document lists exactly the routes fastify registered", async () => {
  const { status, body } = await call(api.url, "GET", "/openapi.json");
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  const documented = Object.entries(body.paths as Record<string, object>)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${toFastifyPath(path)}`))
    .sort();
  const registered = api.server.registered.map((r) => `${r.method} ${r.url}`).sort();
  assert.deepEqual(documented, registered);
});

test("every resource type has its schema, CRUD paths and Kuma's meta fields in the document", async () => {
  const { body } = await call(api.url, "GET", "/openapi.json");
  for (const type of resourceTypes) {
    const schema = body.components.schemas[type.name];
    assert.ok(schema, type.name);
    assert.deepEqual(schema.properties.type, { const: type.name });
    const item = type.scope === "Mesh" ? `/meshes/{mesh}/${type.plural}/{name}` : `/${type.plural}/{name}`;
    assert.deepEqual(Object.keys(body.paths[item]).sort(), ["delete", "get", "put"], item);
  }
  assert.match(body.paths["/meshes/{name}"].delete.description, /every resource in it/);
  assert.ok(body.components.schemas.MeshTrafficPermission.properties.spec, "body fields come from the registry schema");
});

test("the same document is served as YAML", async () => {
  const response = await fetch(`${api.url}/openapi.yaml`);
  assert.match(response.headers.get("content-type") ?? "", /yaml/);
  const json = (await call(api.url, "GET", "/openapi.json")).body;
  assert.deepEqual(parse(await response.text()), json);
});
