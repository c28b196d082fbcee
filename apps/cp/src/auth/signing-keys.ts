import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AlreadyExistsError, type ResourceStore } from "@zonemesh/store";
import { type TokenKind, tokenKinds } from "./token-kind";

export interface SigningKey {
  /** Also the name of the GlobalSecret holding it; goes into each token's `kid` header. */
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type SigningKeys = Record<TokenKind, SigningKey>;

export const signingKeyName = (kind: TokenKind) => `${kind}-token-signing-key-1`;

/**
 * One Ed25519 key per token kind, kept in the store as a GlobalSecret (`data`: base64 of the PKCS#8 PEM)
 * so every CP instance sharing the database signs and verifies with the same keys.
 */
export async function loadOrCreateSigningKeys(store: ResourceStore): Promise<SigningKeys> {
  const entries = await Promise.all(tokenKinds.map(async (kind) => [kind, await loadOrCreate(store, signingKeyName(kind))] as const));
  return Object.fromEntries(entries) as SigningKeys;
}

async function loadOrCreate(store: ResourceStore, name: string): Promise<SigningKey> {
  const key = { type: "GlobalSecret", mesh: "", name };
  const existing = await store.get(key);
  if (existing) return fromSecret(name, existing.spec);
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  try {
    await store.create({ ...key, spec: { data: Buffer.from(pem).toString("base64") } });
    return fromPem(name, pem);
  } catch (error) {
    // Another CP instance created it first: use theirs.
    if (!(error instanceof AlreadyExistsError)) throw error;
    const created = await store.get(key);
    if (!created) throw error;
    return fromSecret(name, created.spec);
  }
}

function fromSecret(name: string, spec: unknown): SigningKey {
  const data = (spec as { data?: unknown } | null)?.data;
  if (typeof data !== "string") throw new Error(`GlobalSecret "${name}" has no data; delete it to let the CP create a new key`);
  return fromPem(name, Buffer.from(data, "base64").toString());
}

function fromPem(id: string, pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  return { id, privateKey, publicKey: createPublicKey(privateKey) };
}
