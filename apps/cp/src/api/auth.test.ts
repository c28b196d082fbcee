// Who may call the API: local callers without a token, remote callers only with a valid admin token.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { type TestApiServer, call, startTestApiServer } from "./testing";

let api: TestApiServer;

/** A request whose source address is 127.0.0.2: loopback on Linux, yet not one of the CP's local addresses. */
function remoteCall(path: string, token?: string, method = "GET"): Promise<{ status: number; body: any }> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method, localAddress: "127.0.0.2", headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text.startsWith("{") ? JSON.parse(text) : text }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  api = await startTestApiServer();
});
after(() => api.close());

test("local callers without a token are admin", async () => {
  assert.equal((await call(api.url, "GET", "/meshes")).status, 200);
});

test("remote callers without a token get 401 saying how to get one; the index stays public", async () => {
  const { status, body } = await remoteCall("/meshes");
  assert.equal(status, 401);
  assert.match(body.detail, /127\.0\.0\.2 need an admin token/);
  assert.equal((await remoteCall("/")).status, 200);
});

test("remote callers with an admin token issued by the API are admin", async () => {
  const token = await call(api.url, "POST", "/tokens/user", { body: { name: "alice", validFor: "1h" } });
  assert.equal(token.status, 200);
  assert.equal((await remoteCall("/meshes", token.body)).status, 200);
});

test("bad tokens get 401 naming why, even from localhost", async () => {
  const dataplaneToken = await call(api.url, "POST", "/tokens/dataplane", { body: { mesh: "default" } });
  assert.equal(dataplaneToken.status, 400, "mesh default does not exist yet");
  await call(api.url, "PUT", "/meshes/default", { body: { type: "Mesh", name: "default" } });
  const wrongKind = (await call(api.url, "POST", "/tokens/dataplane", { body: { mesh: "default", name: "web-1" } })).body;
  const expired = await api.server.tokens.issueToken("admin", { name: "old" }, -60);
  const admin = (await call(api.url, "POST", "/tokens/user", { body: { name: "bob" } })).body as string;
  const forged = admin.slice(0, -4) + (admin.endsWith("AAAA") ? "BBBB" : "AAAA");
  const cases: [string, RegExp][] = [
    [wrongKind, /dataplane token; a admin token is required/],
    [expired, /expired/],
    [forged, /signature is invalid/],
    ["garbage", /malformed/],
  ];
  for (const [token, reason] of cases) {
    const remote = await remoteCall("/meshes", token);
    assert.equal(remote.status, 401);
    assert.match(remote.body.detail, reason);
    const local = await call(api.url, "GET", "/meshes", { headers: { authorization: `Bearer ${token}` } });
    assert.equal(local.status, 401);
  }
});

test("token requests in Kuma's shape (user groups, dataplane proxy type) carry those claims", async () => {
  const user = await call(api.url, "POST", "/tokens/user", { body: { name: "carol", groups: ["mesh-system:admin"], validFor: "1h" } });
  assert.deepEqual((await api.server.tokens.verifyToken("admin", user.body)).groups, ["mesh-system:admin"]);
  const ingress = await call(api.url, "POST", "/tokens/dataplane", { body: { mesh: "default", type: "ingress", validFor: "1h" } });
  assert.equal((await api.server.tokens.verifyToken("dataplane", ingress.body)).proxyType, "ingress");
  const zoneIngress = await call(api.url, "POST", "/tokens/zone-ingress", { body: { zone: "east" } });
  assert.equal((await api.server.tokens.verifyToken("zone-ingress", zoneIngress.body)).zone, "east");
});

test("a global CP does not issue zone ingress tokens: the zone CP that checks them does", async () => {
  const global = await startTestApiServer({ mode: "global" });
  try {
    const refused = await call(global.url, "POST", "/tokens/zone-ingress", { body: { zone: "east" } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.detail, /issued by the zone control plane the ingress connects to/);
  } finally {
    await global.close();
  }
});

test("token endpoints are admin-only", async () => {
  assert.equal((await remoteCall("/tokens/user", undefined, "POST")).status, 401);
});

test("the signing keys live in the store, so a second CP on the same store accepts the first one's tokens", async () => {
  const keys = await api.store.list({ type: "GlobalSecret" });
  assert.deepEqual(keys.items.map((k) => k.name).sort(), ["admin-token-signing-key-1", "dataplane-token-signing-key-1", "zone-ingress-token-signing-key-1", "zone-token-signing-key-1"]);
  const { loadOrCreateSigningKeys, createTokenService } = await import("../api-server");
  const second = createTokenService(await loadOrCreateSigningKeys(api.store));
  const token = await api.server.tokens.issueToken("zone", { zone: "east" }, 60);
  assert.equal((await second.verifyToken("zone", token)).zone, "east");
});
