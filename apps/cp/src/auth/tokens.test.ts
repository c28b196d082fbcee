import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { SigningKeys } from "./signing-keys";
import { tokenKinds } from "./token-kind";
import { TokenError, createTokenService } from "./tokens";

function freshKeys(): SigningKeys {
  return Object.fromEntries(
    tokenKinds.map((kind) => {
      const { privateKey } = generateKeyPairSync("ed25519");
      return [kind, { id: `${kind}-token-signing-key-1`, privateKey, publicKey: createPublicKey(privateKey) }];
    }),
  ) as SigningKeys;
}

test("a dataplane token round-trips its mesh, name and tags", async () => {
  const tokens = createTokenService(freshKeys());
  const token = await tokens.issueToken("dataplane", { mesh: "default", name: "web-1", tags: { "kuma.io/service": ["web"] } }, 60);
  const verified = await tokens.verifyToken("dataplane", token);
  assert.equal(verified.mesh, "default");
  assert.equal(verified.name, "web-1");
  assert.deepEqual(verified.tags, { "kuma.io/service": ["web"] });
  assert.ok(verified.expiresAt.getTime() > Date.now());
});

test("verifyToken names why a token is refused", async () => {
  const keys = freshKeys();
  const tokens = createTokenService(keys);
  const otherCp = createTokenService(freshKeys());
  const rejects = (kind: "admin" | "zone", token: string, reason: RegExp) =>
    assert.rejects(tokens.verifyToken(kind, token), (error: unknown) => error instanceof TokenError && reason.test(error.message));

  await rejects("admin", "not-a-jwt", /malformed/);
  await rejects("admin", await tokens.issueToken("dataplane", { mesh: "default" }, 60), /dataplane token; a admin token is required/);
  await rejects("admin", await otherCp.issueToken("admin", { name: "eve" }, 60), /signature is invalid/);
  await rejects("zone", await tokens.issueToken("zone", { zone: "east" }, -10), /expired/);
});
