import assert from "node:assert/strict";
import { after, test } from "node:test";
import { status } from "@grpc/grpc-js";
import { resource, startGlobal, startZone, waitFor, type TestZone } from "./test-support/harness";

const cleanup: Array<() => unknown> = [];
after(() => Promise.all(cleanup.map((close) => close())));

async function global(overrides = {}) {
  const started = await startGlobal({ overrides });
  cleanup.push(() => started.server.close());
  started.published.put("Mesh", resource("", "default", {}));
  return started;
}

function zone(options: Parameters<typeof startZone>[0]): TestZone {
  const started = startZone(options);
  cleanup.push(() => started.client.stop());
  return started;
}

async function firstRefusal(refused: TestZone) {
  await waitFor("both streams refused", () => new Set(refused.streamEnds.map((end) => end.kind)).size === 2);
  refused.client.stop();
  return refused.streamEnds[0]!;
}

test("a wrong token is refused with UNAUTHENTICATED and the reason, and nothing is synced", async () => {
  const { port, server } = await global();
  const refused = zone({ port, zone: "zone-a", token: "forged" });
  const end = await firstRefusal(refused);
  assert.equal(end.code, status.UNAUTHENTICATED);
  assert.equal(end.details, 'zone "zone-a" refused: token signature is invalid');
  assert.deepEqual(refused.fromGlobal.contents(), {});
  assert.deepEqual(server.connectedZones(), []);
  assert.equal(server.zoneStats("zone-a"), undefined);
});

test("a token issued for another zone is refused with PERMISSION_DENIED", async () => {
  const { port } = await global();
  const end = await firstRefusal(zone({ port, zone: "zone-a", token: "token-zone-b" }));
  assert.equal(end.code, status.PERMISSION_DENIED);
  assert.equal(end.details, 'zone "zone-a" refused: token was issued for zone "zone-b"');
});

test("a missing token is refused with UNAUTHENTICATED", async () => {
  const { port } = await global();
  const end = await firstRefusal(zone({ port, zone: "zone-a", token: "" }));
  assert.equal(end.code, status.UNAUTHENTICATED);
  assert.match(end.details, /zone "zone-a" sent no token/);
});

test("an authenticator that fails refuses with UNAVAILABLE, so the zone retries", async () => {
  const { port } = await global({
    authenticateZone: () => {
      throw new Error("signing keys not loaded");
    },
  });
  const end = await firstRefusal(zone({ port, zone: "zone-a" }));
  assert.equal(end.code, status.UNAVAILABLE);
  assert.equal(end.details, 'could not authenticate zone "zone-a": signing keys not loaded');
});

test("a second CP instance claiming a connected zone is refused with ALREADY_EXISTS; the first keeps syncing", async () => {
  const started = await global();
  const first = zone({ port: started.port, zone: "zone-a", instanceId: "cp-1" });
  await waitFor("first connected", () => first.client.connected());

  const second = zone({ port: started.port, zone: "zone-a", instanceId: "cp-2" });
  const end = await firstRefusal(second);
  assert.equal(end.code, status.ALREADY_EXISTS);
  assert.match(end.details, /^zone "zone-a" is already connected from CP instance "cp-1" \(.+, since .+\); refusing instance "cp-2"$/);

  started.published.put("Mesh", resource("", "second", {}));
  await waitFor("first still syncing", () => first.fromGlobal.list("Mesh").length === 2);
  assert.deepEqual(started.server.connectedZones().map((z) => [z.zone, z.instanceId]), [["zone-a", "cp-1"]]);
  assert.deepEqual(second.fromGlobal.contents(), {});
  assert.deepEqual(started.events, ["connect zone-a cp-1"]);
});

test("with replace-existing, the newcomer takes the zone over and the old instance is cut off", async () => {
  const started = await global({ duplicateZone: "replace-existing" });
  const first = zone({ port: started.port, zone: "zone-a", instanceId: "cp-1" });
  await waitFor("first connected", () => first.client.connected());
  const second = zone({ port: started.port, zone: "zone-a", instanceId: "cp-2" });
  await waitFor("second connected", () => second.client.connected());

  await waitFor("first cut off", () => first.streamEnds.some((end) => end.code === status.ABORTED));
  first.client.stop();
  assert.match(first.streamEnds[0]!.details, /zone "zone-a" was taken over by CP instance "cp-2"/);
  assert.deepEqual(started.server.connectedZones().map((z) => z.instanceId), ["cp-2"]);
  assert.deepEqual(started.events.slice(0, 3), ["connect zone-a cp-1", "disconnect zone-a cp-1", "connect zone-a cp-2"]);
});

test("the same CP instance redialing replaces its stale streams instead of being refused", async () => {
  const started = await global();
  const first = zone({ port: started.port, zone: "zone-a", instanceId: "cp-1" });
  await waitFor("first connected", () => first.client.connected());
  const again = zone({ port: started.port, zone: "zone-a", instanceId: "cp-1" });
  await waitFor("redial connected", () => again.client.connected());
  assert.equal(started.server.openStreamCount(), 2);
  await waitFor("old streams superseded", () => first.streamEnds.filter((end) => end.code === status.ABORTED).length === 2);
  assert.match(first.streamEnds[0]!.details, /superseded by a newer .* stream from the same CP instance/);
  first.client.stop();
});

test("a zone cut off by the server faces authentication again, with the token its function returns then", async () => {
  let validToken = "t1";
  const started = await global({
    authenticateZone: (_zone: string, token: string) =>
      token === validToken ? ({ allowed: true } as const) : ({ allowed: false, code: "PERMISSION_DENIED", reason: "token revoked" } as const),
  });
  let currentToken = "t1";
  const rotating = zone({ port: started.port, zone: "zone-a", overrides: { token: () => currentToken } });
  await waitFor("connected", () => rotating.client.connected());

  validToken = "t2";
  assert.equal(started.server.disconnectZone("zone-a", "token revoked"), true);
  await waitFor("refused after the cut", () => rotating.streamEnds.some((end) => end.code === status.PERMISSION_DENIED));
  assert.deepEqual([rotating.streamEnds[0]!.code, rotating.streamEnds[0]!.details], [status.ABORTED, "token revoked"]);
  assert.equal(started.server.disconnectZone("zone-a", "again"), false);

  currentToken = "t2";
  await waitFor("back with the rotated token", () => rotating.client.connected());
  assert.deepEqual(started.server.connectedZones().map((z) => z.zone), ["zone-a"]);
});
