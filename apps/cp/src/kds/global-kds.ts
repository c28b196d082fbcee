// Global mode: the KDS server zone CPs dial. It publishes Mesh, policies, Secrets and other zones' ingresses
// to each zone, and stores what each zone sends under zone-scoped names with origin and zone labels.
import { createKdsServer, type KdsResource, type KdsServer, type ResourceDelta } from "@zonemesh/kds";
import { NotFoundError, type ResourceStore, type StoredResource } from "@zonemesh/store";
import type { TokenService } from "../api-server";
import type { CpComponent } from "../control-plane";
import { globalPolicyWarningRoutes } from "./global-policy-warnings";
import { globalXdsRoutes } from "./global-xds-routes";
import { assertValidResources } from "./received-resources";
import { DISPLAY_NAME_LABEL, globalToZoneTypes, ORIGIN_LABEL, ZONE_LABEL, zoneToGlobalTypes } from "./sync-types";
import { watchTypes } from "./type-views";
import { zoneAuthenticator } from "./zone-authenticator";
import { cleanUpDeletedZones } from "./zone-cleanup";
import { recordZoneInsights } from "./zone-insights";
import { zoneScopedName } from "./zone-scoped-name";

export interface GlobalKdsOptions {
  store: ResourceStore;
  tokens: TokenService;
  instanceId: string;
  /** e.g. "0.0.0.0:5685". */
  listenAddress: string;
  /** How often connected zones' ZoneInsights are refreshed; default 5 s. */
  insightFlushIntervalMs?: number;
}

export interface GlobalKds extends CpComponent {
  server: KdsServer;
  port: number;
}

const fromZone = (zone: string) => ({ [ORIGIN_LABEL]: "zone", [ZONE_LABEL]: zone });

/** What a zone receives: everything global-authored, and the ZoneIngresses of the other zones. */
function publishedTo(zone: string, item: StoredResource): KdsResource | undefined {
  if (item.type === "ZoneIngress" && (item.labels[ORIGIN_LABEL] !== "zone" || item.labels[ZONE_LABEL] === zone)) return undefined;
  return { mesh: item.mesh, name: item.name, labels: { ...item.labels, [ORIGIN_LABEL]: "global" }, body: item.spec };
}

/** A zone resource as the zone sent it: its own name, and the labels without the display name the global added. */
function asSentByZone(item: StoredResource): KdsResource {
  const { [DISPLAY_NAME_LABEL]: name = item.name, ...labels } = item.labels;
  return { mesh: item.mesh, name, labels, body: item.spec };
}

export async function startGlobalKds(options: GlobalKdsOptions): Promise<GlobalKds> {
  const { store } = options;
  const published = watchTypes(store, globalToZoneTypes);
  let server: KdsServer | undefined;
  const insights = recordZoneInsights({
    store,
    globalInstanceId: options.instanceId,
    zoneStats: (zone) => server?.zoneStats(zone),
    flushIntervalMs: options.insightFlushIntervalMs ?? 5_000,
  });
  const cleanup = cleanUpDeletedZones(store, {
    disconnect: (zone, reason) => server?.disconnectZone(zone, reason),
    insightSettled: (zone) => insights.settled(zone),
  });
  const authenticate = zoneAuthenticator(options.tokens, store);

  async function applyFromZone(zone: string, type: string, delta: ResourceDelta): Promise<void> {
    assertValidResources(type, delta.upserted);
    // One transaction per response: a full sync of thousands of Dataplanes is a handful of commits.
    await store.upsertMany(
      delta.upserted.map((resource) => ({
        type,
        mesh: resource.mesh,
        name: zoneScopedName(resource.mesh, resource.name, zone),
        // The zone cannot speak for another zone: origin and zone labels are the authenticated zone's.
        labels: { ...resource.labels, ...fromZone(zone), [DISPLAY_NAME_LABEL]: resource.name },
        spec: resource.body,
      })),
    );
    for (const key of delta.removed) {
      const name = zoneScopedName(key.mesh, key.name, zone);
      const existing = await store.get({ type, mesh: key.mesh, name });
      if (existing?.labels[ZONE_LABEL] !== zone) continue;
      try {
        await store.delete({ type, mesh: key.mesh, name });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  }

  server = createKdsServer({
    authenticateZone: async (zone, token, metadata) => {
      if (cleanup.inProgress(zone)) throw new Error(`the resources of deleted zone "${zone}" are being removed; retry shortly`);
      return authenticate(zone, token, metadata);
    },
    globalToZone: {
      types: globalToZoneTypes,
      snapshotFor: async (zone, type) =>
        (await published.list(type)).flatMap((item) => publishedTo(zone, item) ?? []),
      subscribe: (onChange) => published.subscribe(onChange),
    },
    zoneToGlobal: {
      types: zoneToGlobalTypes,
      heldFrom: async (zone, type) => (await store.list({ type, labels: fromZone(zone) })).items.map(asSentByZone),
      onZoneResources: applyFromZone,
    },
    onZoneConnect: (connection) => insights.connected(connection),
    onZoneDisconnect: (connection) => insights.disconnected(connection),
  });

  let port: number;
  try {
    port = await server.listen(options.listenAddress);
  } catch (error) {
    await server.close();
    await insights.close();
    await cleanup.close();
    published.close();
    throw new Error(`KDS server could not listen on ${options.listenAddress}: ${(error as Error).message}`);
  }
  const kdsServer = server;
  return {
    server: kdsServer,
    port,
    routes: [...globalXdsRoutes({ store, server: kdsServer }), ...globalPolicyWarningRoutes({ store, server: kdsServer })],
    async close() {
      await kdsServer.close();
      await insights.close();
      await cleanup.close();
      published.close();
    },
  };
}
