// Policy procedures against a real global CP: validation before the CP, the CP's own field errors, upsert/get/delete.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { CpProblem } from "../cp-client";
import { seedDataplane, seedMesh, startBff, type BffFixture } from "../testing/cp-api";

let bff: BffFixture;
before(async () => {
  bff = await startBff();
  await seedMesh(bff.store, "default");
});
after(() => bff.close());

const allowWeb = (action: string) => ({
  type: "MeshTrafficPermission",
  mesh: "default",
  name: "allow-web",
  spec: { targetRef: { kind: "MeshService", name: "api" }, from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { action } }] },
});

const inputFields = (error: unknown) =>
  error instanceof TRPCError && error.cause instanceof ZodError ? error.cause.issues.map((issue) => [issue.path.join("."), issue.message]) : [];

describe("policies.upsert", () => {
  it("refuses an invalid policy with the shared schema's field errors, before calling the CP", async () => {
    await assert.rejects(bff.caller.policies.upsert(allowWeb("Maybe")), (error) => {
      assert.deepEqual(inputFields(error), [["spec.from[0].default.action", 'must be one of: "Allow", "Deny", "AllowWithShadowDeny"']]);
      return true;
    });
    assert.equal((await bff.store.list({ type: "MeshTrafficPermission" })).total, 0);
  });

  it("refuses a resource that is not a policy", async () => {
    await assert.rejects(bff.caller.policies.upsert({ type: "Mesh", name: "other" }), (error) => {
      assert.deepEqual(inputFields(error).map(([field]) => field), ["type"]);
      return true;
    });
  });

  it("creates the policy on the CP, reads it back and deletes it", async () => {
    const applied = await bff.caller.policies.upsert(allowWeb("Allow"));
    assert.equal(applied.name, "allow-web");
    const stored = await bff.caller.policies.get({ type: "MeshTrafficPermission", mesh: "default", name: "allow-web" });
    assert.deepEqual(stored?.body, { spec: allowWeb("Allow").spec });
    const counts = await bff.caller.policies.counts({ mesh: "default" });
    assert.equal(counts.find((count) => count.type === "MeshTrafficPermission")?.total, 1);
    const listed = await bff.caller.policies.list({ type: "MeshTrafficPermission" });
    assert.deepEqual(listed.items.map((p) => p.name), ["allow-web"]);

    await bff.caller.policies.delete({ type: "MeshTrafficPermission", mesh: "default", name: "allow-web" });
    assert.equal(await bff.caller.policies.get({ type: "MeshTrafficPermission", mesh: "default", name: "allow-web" }), null);
  });

  it("carries the CP's field errors when the CP refuses (mesh that does not exist)", async () => {
    await assert.rejects(bff.caller.policies.upsert({ ...allowWeb("Allow"), mesh: "missing" }), (error) => {
      assert.ok(error instanceof TRPCError);
      assert.equal(error.code, "BAD_REQUEST");
      assert.ok(error.cause instanceof CpProblem);
      assert.equal(error.cause.status, 400);
      assert.deepEqual(error.cause.invalidParameters.map((p) => p.field), ["mesh"]);
      return true;
    });
  });
});

describe("policies.preview and policies.dataplanes", () => {
  before(async () => {
    await seedDataplane(bff.store, { mesh: "default", name: "api-1", zone: "east", service: "api", status: "online" });
    await seedDataplane(bff.store, { mesh: "default", name: "web-1", zone: "east", service: "web", status: "online" });
    await seedDataplane(bff.store, { mesh: "default", name: "api-2-q7zx4bkd2wn9tc5m", displayName: "api-2", zone: "west", service: "api", status: "online" });
  });

  it("previews which dataplanes a new policy selects without storing it", async () => {
    const preview = await bff.caller.policies.preview(allowWeb("Deny"));
    assert.equal(preview.stored, null);
    assert.deepEqual(
      preview.dataplanes.selected.map((dp) => [dp.name, dp.displayName, dp.zone]),
      [
        ["api-1", "api-1", "east"],
        ["api-2-q7zx4bkd2wn9tc5m", "api-2", "west"],
      ],
    );
    assert.deepEqual(preview.dataplanes.added.map((dp) => dp.name), ["api-1", "api-2-q7zx4bkd2wn9tc5m"]);
    assert.equal((await bff.store.list({ type: "MeshTrafficPermission" })).total, 0);
  });

  it("diffs an edit against the stored version and lists the stored policy's dataplanes", async () => {
    await bff.caller.policies.upsert(allowWeb("Allow"));
    const preview = await bff.caller.policies.preview(allowWeb("Deny"));
    assert.equal(preview.stored?.name, "allow-web");
    assert.deepEqual(preview.changes, [{ path: "spec.from[0].default.action", op: "replace", from: "Allow", to: "Deny" }]);
    assert.deepEqual(preview.dataplanes.added, []);
    const selected = await bff.caller.policies.dataplanes({ type: "MeshTrafficPermission", mesh: "default", name: "allow-web" });
    assert.deepEqual(selected.items.map((dp) => [dp.name, dp.displayName]), [["api-1", "api-1"], ["api-2-q7zx4bkd2wn9tc5m", "api-2"]]);
  });
});
