// The tRPC HTTP API as automation sees it: plain JSON in and out, field errors in `error.data.invalidParameters`.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCpClient } from "./cp-client";
import { handleTrpcRequest } from "./http-handler";
import { seedMesh, seedZone, startBff, type BffFixture } from "./testing/cp-api";

let bff: BffFixture;
let call: (path: string, init?: RequestInit) => Promise<{ status: number; body: any }>;
before(async () => {
  bff = await startBff();
  await seedMesh(bff.store, "default");
  await seedZone(bff.store, "east", true);
  const context = () => ({ cp: createCpClient(bff.cp.url) });
  call = async (path, init) => {
    const response = await handleTrpcRequest(new Request(`http://gui.test/api/trpc/${path}`, init), context);
    return { status: response.status, body: await response.json() };
  };
});
after(() => bff.close());

describe("tRPC over HTTP", () => {
  it("answers a query with its input as JSON in the query string", async () => {
    const input = encodeURIComponent(JSON.stringify({ size: 10 }));
    const { status, body } = await call(`zones.list?input=${input}`);
    assert.equal(status, 200);
    assert.deepEqual(body.result.data.items.map((zone: { name: string }) => zone.name), ["east"]);
  });

  it("returns 400 with the invalid fields of a refused mutation", async () => {
    const policy = {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "Bad_Name",
      spec: { from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
    };
    const { status, body } = await call("policies.upsert", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(policy) });
    assert.equal(status, 400);
    assert.equal(body.error.data.code, "BAD_REQUEST");
    assert.deepEqual(body.error.data.invalidParameters.map((p: { field: string }) => p.field), ["name"]);
    assert.match(body.error.message, /^input is not valid: name: /);
  });

  it("passes the CP's own field errors through with the CP's status", async () => {
    const policy = { type: "MeshTimeout", mesh: "nowhere", name: "t", spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "5s" } }] } };
    const { status, body } = await call("policies.upsert", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(policy) });
    assert.equal(status, 400);
    assert.equal(body.error.data.cpStatus, 400);
    assert.deepEqual(body.error.data.invalidParameters.map((p: { field: string }) => p.field), ["mesh"]);
  });
});
