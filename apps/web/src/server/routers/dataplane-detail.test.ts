// dataplanes.get against a real global CP: networking, insight and the rules from `_rules`.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { seedDataplane, seedMesh, startBff, type BffFixture } from "../testing/cp-api";

let bff: BffFixture;
before(async () => {
  bff = await startBff();
  await seedMesh(bff.store, "default");
  await seedDataplane(bff.store, {
    mesh: "default",
    name: "api-1",
    zone: "east",
    service: "api",
    status: "online",
    version: { kumaDp: { version: "0.1.0", gitTag: "unknown" }, envoy: { version: "built-in", kumaDpCompatible: true } },
  });
  await bff.caller.policies.upsert({
    type: "MeshTimeout",
    mesh: "default",
    name: "api-timeouts",
    spec: { targetRef: { kind: "MeshService", name: "api" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "20s" } }] },
  });
});
after(() => bff.close());

describe("dataplanes.get", () => {
  it("returns the inbounds, the status and the rules of the policies that select the dataplane", async () => {
    const dp = await bff.caller.dataplanes.get({ mesh: "default", name: "api-1" });
    assert.equal(dp.status, "online");
    assert.deepEqual(dp.networking.inbound?.map((inbound) => inbound.port), [8080]);
    assert.deepEqual(dp.rules.map((rule) => rule.type), ["MeshTimeout"]);
    const [rule] = dp.rules[0]?.toRules ?? [];
    assert.deepEqual(rule?.conf, { idleTimeout: "20s" });
    assert.deepEqual(rule?.origin.map((origin) => origin.name), ["api-timeouts"]);
  });

  it("shows the kuma-dp and Envoy versions the proxy reported to its zone CP", async () => {
    const dp = await bff.caller.dataplanes.get({ mesh: "default", name: "api-1" });
    assert.deepEqual([dp.dpVersion, dp.envoyVersion], ["0.1.0", "built-in"]);
  });

  it("answers NOT_FOUND for a dataplane that does not exist", async () => {
    await assert.rejects(bff.caller.dataplanes.get({ mesh: "default", name: "ghost" }), (error: { code?: string }) => error.code === "NOT_FOUND");
  });
});

describe("dataplanes.xds", () => {
  it("returns no config and the CP's reason when the CP serves none for the proxy", async () => {
    const xds = await bff.caller.dataplanes.xds({ mesh: "default", name: "api-1" });
    assert.equal(xds.config, null);
    assert.ok(xds.reason && xds.reason.length > 0);
  });
});
