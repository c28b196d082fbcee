// The CP client's failure modes, which the GUI shows as explicit error states.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { createCpClient, listSchema, wireResourceSchema } from "./cp-client";
import { createCaller } from "./root";
import { startBff, type BffFixture } from "./testing/cp-api";

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
});
