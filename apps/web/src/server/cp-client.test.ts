// The CP client's failure modes, which the GUI shows as explicit error states.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { TRPCError } from "@trpc/server";
import { createCpClient, listAll, listSchema, wireResourceSchema } from "./cp-client";
import { createCaller } from "./root";
import { seedMesh, startBff, type BffFixture } from "./testing/cp-api";

let bff: BffFixture;
before(async () => {
  bff = await startBff();
});
after(() => bff.close());

describe("CP client", () => {
  it("reports an unreachable CP as SERVICE_UNAVAILABLE naming its URL", async () => {
    const caller = createCaller({ cp: createCpClient("http://127.0.0.1:9") });
    await assert.rejects(caller.overview.summary(), (error) => {
      assert.ok(error instanceof TRPCError);
      assert.equal(error.code, "SERVICE_UNAVAILABLE");
      assert.match(error.message, /cannot reach the control plane at http:\/\/127\.0\.0\.1:9/);
      return true;
    });
  });

  it("gives up on a CP that accepts and never answers with GATEWAY_TIMEOUT naming it, and on one that stops mid-body", { timeout: 10_000 }, async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    const stalling = net.createServer((socket) => {
      sockets.push(socket);
      socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"items\""));
    });
    const url = async (server: net.Server) => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    };
    try {
      for (const base of [await url(silent), await url(stalling)]) {
        const started = Date.now();
        const caller = createCaller({ cp: createCpClient(base, undefined, { timeoutMs: 300 }) });
        await assert.rejects(caller.meshes.list({}), (error) => {
          assert.ok(error instanceof TRPCError);
          assert.equal(error.code, "GATEWAY_TIMEOUT");
          assert.equal(error.message, `the control plane at ${base} did not answer within 300 ms`);
          return true;
        });
        assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      stalling.close();
    }
  });

  it("refuses a response that does not have the expected shape with BAD_GATEWAY", async () => {
    const cp = createCpClient(bff.cp.url);
    await assert.rejects(cp.request({ path: "/openapi.json", schema: listSchema(wireResourceSchema) }), (error) => {
      assert.ok(error instanceof TRPCError);
      assert.equal(error.code, "BAD_GATEWAY");
      assert.match(error.message, /unexpected response from GET \/openapi\.json/);
      return true;
    });
  });

  it("resolves a 404 to null only when asked to", async () => {
    const cp = createCpClient(bff.cp.url);
    assert.equal(await cp.requestOrNull({ path: "/meshes/nope", schema: wireResourceSchema }), null);
    await assert.rejects(cp.request({ path: "/meshes/nope", schema: wireResourceSchema }), (error: TRPCError) => error.code === "NOT_FOUND");
  });

  it("reuses the parsed answer of a conditional GET while the CP answers 304, and reads a changed list", async () => {
    await seedMesh(bff.store, "default");
    const read = () => createCpClient(bff.cp.url).request({ path: "/meshes/default/meshtimeouts", schema: listSchema(wireResourceSchema), conditional: true });
    const first = await read();
    assert.equal(await read(), first, "a 304 gives back the same parsed object");
    await bff.store.upsert({
      type: "MeshTimeout",
      mesh: "default",
      name: "t",
      spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] } },
    });
    const changed = await read();
    assert.notEqual(changed, first);
    assert.deepEqual(changed.items.map((item) => item.name), ["t"]);
  });

  it("gives back the same list from listAll while every page of a conditional list answers 304", async () => {
    const readAll = () => listAll(createCpClient(bff.cp.url), "/meshes/default/meshtimeouts", wireResourceSchema, { conditional: true });
    const first = await readAll();
    assert.equal(await readAll(), first);
    await bff.store.upsert({
      type: "MeshTimeout",
      mesh: "default",
      name: "t2",
      spec: { spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "2s" } }] } },
    });
    const changed = await readAll();
    assert.notEqual(changed, first);
    assert.deepEqual(changed.map((item) => item.name).sort(), ["t", "t2"]);
  });
});
