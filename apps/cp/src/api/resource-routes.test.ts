// Every registry type through the real HTTP API, on SQLite and on PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { resourceTypes } from "@zonemesh/resources";
import { type ThrowawayPostgres, startThrowawayPostgres } from "@zonemesh/store/testing";
import { exampleResource } from "./example-resources";
import { type TestApiServer, call, startTestApiServer } from "./testing";

const itemPath = (type: (typeof resourceTypes)[number], name: string, mesh = "default") =>
  type.scope === "Mesh" ? `/meshes/${mesh}/${type.plural}/${name}` : `/${type.plural}/${name}`;

function apiSuite(backend: string, start: () => Promise<TestApiServer>) {
  describe(`REST API on ${backend}`, () => {
    let api: TestApiServer;
    before(async () => {
      api = await start();
      assert.equal((await call(api.url, "PUT", "/meshes/default", { body: { type: "Mesh", name: "default" } })).status, 201);
    });
    after(() => api.close());

    for (const type of resourceTypes) {
      test(`${type.name}: create, read, list, update, conflict, delete`, async () => {
        const name = `example-${type.plural}`;
        const path = itemPath(type, name);
        const resource = exampleResource(type, name);

        const created = await call(api.url, "PUT", path, { body: resource });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.headers.get("etag"), '"1"');

        const read = await call(api.url, "GET", path);
        assert.equal(read.status, 200);
        assert.equal(read.headers.get("etag"), '"1"');
        const { creationTime, modificationTime, ...rest } = read.body;
        assert.deepEqual(rest, resource);
        assert.ok(!Number.isNaN(Date.parse(creationTime)) && !Number.isNaN(Date.parse(modificationTime)));

        const listPath = type.scope === "Mesh" ? `/meshes/default/${type.plural}` : `/${type.plural}`;
        const list = await call(api.url, "GET", listPath);
        assert.equal(list.status, 200);
        assert.ok(list.body.items.some((item: { name: string }) => item.name === name));
        assert.equal(list.body.next, null);
        if (type.scope === "Mesh") {
          const acrossMeshes = await call(api.url, "GET", `/${type.plural}`);
          assert.ok(acrossMeshes.body.items.some((item: { name: string; mesh: string }) => item.name === name && item.mesh === "default"));
        }

        const updated = await call(api.url, "PUT", path, { body: { ...resource, labels: { team: "edge" } }, headers: { "if-match": '"1"' } });
        assert.equal(updated.status, 200, JSON.stringify(updated.body));
        assert.equal(updated.headers.get("etag"), '"2"');
        assert.deepEqual((await call(api.url, "GET", path)).body.labels, { team: "edge" });

        const stale = await call(api.url, "PUT", path, { body: resource, headers: { "if-match": '"1"' } });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.invalid_parameters[0].field, "version");
        assert.match(stale.body.invalid_parameters[0].reason, /you sent 1, the current version is 2/);

        if (type.name === "Mesh") return; // the mesh "default" stays for the other types; Mesh deletion has its own test
        assert.equal((await call(api.url, "DELETE", path, { headers: { "if-match": '"1"' } })).status, 409);
        assert.equal((await call(api.url, "DELETE", path)).status, 200);
        const gone = await call(api.url, "GET", path);
        assert.equal(gone.status, 404);
        assert.match(gone.body.detail, /not found/);
      });
    }

    test("PUT without If-Match is last-write-wins: 200 on an existing resource", async () => {
      const type = resourceTypes.find((t) => t.name === "MeshTimeout")!;
      const path = itemPath(type, "lww");
      assert.equal((await call(api.url, "PUT", path, { body: exampleResource(type, "lww") })).status, 201);
      const again = await call(api.url, "PUT", path, { body: exampleResource(type, "lww") });
      assert.equal(again.status, 200);
      assert.equal(again.headers.get("etag"), '"2"');
    });

    test("YAML bodies are accepted", async () => {
      const yaml = "type: Zone\nname: yaml-zone\nenabled: false\nlabels:\n  region: eu\n";
      const response = await call(api.url, "PUT", "/zones/yaml-zone", { body: yaml, contentType: "application/yaml" });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.deepEqual((await call(api.url, "GET", "/zones/yaml-zone")).body.labels, { region: "eu" });
    });

    test("lists page with size/offset and a next URL, and filter by labels and name", async () => {
      const type = resourceTypes.find((t) => t.name === "MeshRetry")!;
      for (let i = 0; i < 5; i++) {
        const body = { ...exampleResource(type, `page-${i}`), labels: { parity: i % 2 ? "odd" : "even" } };
        assert.equal((await call(api.url, "PUT", itemPath(type, `page-${i}`), { body })).status, 201);
      }
      const first = await call(api.url, "GET", "/meshes/default/meshretries?size=2&name=page-");
      assert.equal(first.body.total, 5);
      assert.deepEqual(first.body.items.map((i: { name: string }) => i.name), ["page-0", "page-1"]);
      const next = new URL(first.body.next);
      assert.equal(next.searchParams.get("offset"), "2");
      const second = await call(api.url, "GET", next.pathname + next.search);
      assert.deepEqual(second.body.items.map((i: { name: string }) => i.name), ["page-2", "page-3"]);
      const last = await call(api.url, "GET", "/meshes/default/meshretries?size=2&offset=4&name=page-");
      assert.equal(last.body.next, null);

      const odd = await call(api.url, "GET", "/meshes/default/meshretries?filter[labels.parity]=odd");
      assert.deepEqual(odd.body.items.map((i: { name: string }) => i.name).sort(), ["page-1", "page-3"]);
    });

    test("deleting a Mesh deletes everything in it", async () => {
      assert.equal((await call(api.url, "PUT", "/meshes/doomed", { body: { type: "Mesh", name: "doomed" } })).status, 201);
      for (const type of resourceTypes.filter((t) => t.scope === "Mesh")) {
        const response = await call(api.url, "PUT", itemPath(type, "inside", "doomed"), { body: exampleResource(type, "inside", "doomed") });
        assert.equal(response.status, 201, `${type.name}: ${JSON.stringify(response.body)}`);
      }
      assert.equal((await call(api.url, "DELETE", "/meshes/doomed", { headers: { "if-match": '"2"' } })).status, 409);
      assert.equal((await call(api.url, "DELETE", "/meshes/doomed")).status, 200);
      assert.equal((await call(api.url, "GET", "/meshes/doomed")).status, 404);
      for (const type of resourceTypes.filter((t) => t.scope === "Mesh")) {
        const { total } = await api.store.list({ type: type.name, mesh: "doomed" });
        assert.equal(total, 0, `${type.name} left behind`);
      }
    });
  });
}

apiSuite("SQLite", () => startTestApiServer());

let postgres: ThrowawayPostgres;
before(async () => {
  postgres = await startThrowawayPostgres();
});
after(() => postgres?.stop());
apiSuite("PostgreSQL", async () => startTestApiServer({ storeUrl: await postgres.createDatabase() }));
