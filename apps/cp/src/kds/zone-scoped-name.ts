// Names of zone resources on the global CP, as current Kuma forms them (kumahq/kuma pkg/util/k8s hash.HashedName,
// docs/madr/decisions/029-kds-sync-hash-suffix.md): `<name>-<16 chars>`, a hash of mesh, name and zone, so
// equal names from two zones never collide. The original name is kept in the kuma.io/display-name label.
import { MAX_NAME_LENGTH } from "@zonemesh/resources";

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
// Kubernetes' rand.SafeEncodeString alphabet: no vowels and no look-alike digits.
const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const SUFFIX_LENGTH = 1 + 16;

function fnv1a64(parts: string[]): bigint {
  let hash = FNV_OFFSET;
  for (const part of parts) {
    for (const byte of Buffer.from(part, "utf8")) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  return hash;
}

function safeEncode(text: string): string {
  let encoded = "";
  for (const char of text) encoded += SAFE_ALPHABET[char.charCodeAt(0) % SAFE_ALPHABET.length];
  return encoded;
}

export function zoneScopedName(mesh: string, name: string, zone: string): string {
  const hex = fnv1a64([mesh, name, zone]).toString(16).padStart(16, "0");
  return `${name.slice(0, MAX_NAME_LENGTH - SUFFIX_LENGTH)}-${safeEncode(hex)}`;
}
