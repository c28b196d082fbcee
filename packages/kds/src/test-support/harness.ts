import { createKdsClient, type KdsClient, type KdsClientOptions, type KdsStreamEnd } from "../client/kds-client";
import type { KdsResource } from "../resource";
import { createKdsServer, type KdsServer, type KdsServerOptions } from "../server/kds-server";
import type { KdsStreamKind, StreamStats } from "../stats";
import { MemoryStore } from "./memory-store";

export const GLOBAL_TYPES = ["Mesh", "MeshTrafficPermission", "Secret"];
export const ZONE_TYPES = ["Dataplane", "ZoneIngress"];

export function resource(mesh: string, name: string, body: unknown, labels: Record<string, string> = {}): KdsResource {
  return { mesh, name, labels, body };
}

/** Tokens in tests are "token-<zone>". */
export function authenticateTestZone(zone: string, token: string) {
  if (token === `token-${zone}`) return { allowed: true } as const;
  if (token.startsWith("token-")) {
    return { allowed: false, code: "PERMISSION_DENIED", reason: `token was issued for zone "${token.slice(6)}"` } as const;
  }
  return { allowed: false, code: "UNAUTHENTICATED", reason: "token signature is invalid" } as const;
}

export interface TestGlobal {
  server: KdsServer;
  port: number;
  published: MemoryStore;
  fromZones: Map<string, MemoryStore>;
  fromZone(zone: string): MemoryStore;
  events: string[];
}

/** A global CP over in-memory stores; pass the stores of a previous one to simulate a restart. */
export async function startGlobal(
  options: {
    port?: number;
    published?: MemoryStore;
    fromZones?: Map<string, MemoryStore>;
    overrides?: Partial<KdsServerOptions>;
  } = {},
): Promise<TestGlobal> {
  const published = options.published ?? new MemoryStore();
  const fromZones = options.fromZones ?? new Map<string, MemoryStore>();
  const fromZone = (zone: string) => {
    let store = fromZones.get(zone);
    if (!store) fromZones.set(zone, (store = new MemoryStore()));
    return store;
  };
  const events: string[] = [];
  const server = createKdsServer({
    authenticateZone: authenticateTestZone,
    globalToZone: {
      types: GLOBAL_TYPES,
      snapshotFor: (_zone, type) => published.list(type),
      subscribe: (onChange) => published.subscribe(onChange),
    },
    zoneToGlobal: {
      types: ZONE_TYPES,
      heldFrom: (zone, type) => fromZone(zone).list(type),
      onZoneResources: (zone, type, delta) => fromZone(zone).apply(type, delta),
    },
    onZoneConnect: (connection) => events.push(`connect ${connection.zone} ${connection.instanceId}`),
    onZoneDisconnect: (connection) => events.push(`disconnect ${connection.zone} ${connection.instanceId}`),
    ...options.overrides,
  });
  const port = await server.listen(`127.0.0.1:${options.port ?? 0}`);
  return { server, port, published, fromZones, fromZone, events };
}

export interface TestZone {
  client: KdsClient;
  published: MemoryStore;
  fromGlobal: MemoryStore;
  streamEnds: Array<{ kind: KdsStreamKind } & KdsStreamEnd>;
}

export function startZone(options: {
  port: number;
  zone: string;
  token?: string;
  instanceId?: string;
  published?: MemoryStore;
  fromGlobal?: MemoryStore;
  overrides?: Partial<KdsClientOptions>;
}): TestZone {
  const published = options.published ?? new MemoryStore();
  const fromGlobal = options.fromGlobal ?? new MemoryStore();
  const streamEnds: TestZone["streamEnds"] = [];
  const client = createKdsClient({
    address: `127.0.0.1:${options.port}`,
    zone: options.zone,
    instanceId: options.instanceId ?? `${options.zone}-cp-1`,
    version: "test",
    token: options.token ?? `token-${options.zone}`,
    zoneToGlobal: {
      types: ZONE_TYPES,
      snapshotFor: (type) => published.list(type),
      subscribe: (onChange) => published.subscribe(onChange),
    },
    globalToZone: {
      types: GLOBAL_TYPES,
      heldFromGlobal: (type) => fromGlobal.list(type),
      onGlobalResources: (type, delta) => fromGlobal.apply(type, delta),
    },
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    onStreamClosed: (kind, end) => streamEnds.push({ kind, ...end }),
    ...options.overrides,
  });
  client.start();
  return { client, published, fromGlobal, streamEnds };
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every response the stream sent has been ACKed or NACKed. */
export function settled(stats: StreamStats | undefined): boolean {
  return stats !== undefined && Object.values(stats.types).every((type) => type.responses === type.acked + type.nacked);
}
