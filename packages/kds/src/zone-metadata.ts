import { Metadata } from "@grpc/grpc-js";

export interface ZoneIdentity {
  zone: string;
  /** Identifies one running zone CP process; a reconnect from the same instance replaces its old streams. */
  instanceId: string;
  /** The zone CP's software version. */
  version: string;
}

const ZONE = "kds-zone";
const INSTANCE_ID = "kds-instance-id";
const VERSION = "kds-version";
const AUTHORIZATION = "authorization";
const BEARER = "Bearer ";

export function zoneMetadata(identity: ZoneIdentity, token: string): Metadata {
  const metadata = new Metadata();
  metadata.set(ZONE, identity.zone);
  metadata.set(INSTANCE_ID, identity.instanceId);
  metadata.set(VERSION, identity.version);
  metadata.set(AUTHORIZATION, BEARER + token);
  return metadata;
}

export type ZoneMetadataResult =
  | { ok: true; identity: ZoneIdentity; token: string }
  | { ok: false; reason: string };

export function readZoneMetadata(metadata: Metadata): ZoneMetadataResult {
  const text = (key: string) => {
    const [value] = metadata.get(key);
    return typeof value === "string" ? value : "";
  };
  const zone = text(ZONE);
  if (zone === "") return { ok: false, reason: `missing zone name (metadata "${ZONE}")` };
  const authorization = text(AUTHORIZATION);
  if (!authorization.startsWith(BEARER) || authorization.length === BEARER.length) {
    return { ok: false, reason: `zone "${zone}" sent no token (metadata "${AUTHORIZATION}: ${BEARER}<token>")` };
  }
  const identity = { zone, instanceId: text(INSTANCE_ID), version: text(VERSION) };
  return { ok: true, identity, token: authorization.slice(BEARER.length) };
}
