import { status, type Metadata } from "@grpc/grpc-js";
import { readZoneMetadata, type ZoneIdentity } from "../zone-metadata";

export type ZoneAuthResult =
  | { allowed: true }
  | { allowed: false; code: "UNAUTHENTICATED" | "PERMISSION_DENIED"; reason: string };

/** Decides whether `token` proves the caller is the CP of `zone`; a throw refuses the stream with UNAVAILABLE. */
export type AuthenticateZone = (
  zone: string,
  token: string,
  metadata: Metadata,
) => Promise<ZoneAuthResult> | ZoneAuthResult;

export type Admission = { ok: true; identity: ZoneIdentity } | { ok: false; code: status; reason: string };

export async function admitZone(metadata: Metadata, authenticate: AuthenticateZone): Promise<Admission> {
  const read = readZoneMetadata(metadata);
  if (!read.ok) return { ok: false, code: status.UNAUTHENTICATED, reason: read.reason };
  const { identity, token } = read;
  let result: ZoneAuthResult;
  try {
    result = await authenticate(identity.zone, token, metadata);
  } catch (error) {
    return {
      ok: false,
      code: status.UNAVAILABLE,
      reason: `could not authenticate zone "${identity.zone}": ${(error as Error).message}`,
    };
  }
  if (result.allowed) return { ok: true, identity };
  return { ok: false, code: status[result.code], reason: `zone "${identity.zone}" refused: ${result.reason}` };
}
