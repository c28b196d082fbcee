// Zone mode: the KDS client to the global. Resources from the global are stored with kuma.io/origin: global
// (and only those are ever deleted by KDS); local Dataplanes, ZoneIngresses and insights go up. Nothing is
// deleted when the global is away: the zone keeps serving its proxies from what it holds.
import { createKdsClient, type KdsClient, type KdsResource, type KdsStreamEnd, type KdsStreamKind, type ResourceDelta } from "@zonemesh/kds";
import { NotFoundError, type ResourceStore, type StoredResource } from "@zonemesh/store";
import type { CpComponent } from "../control-plane";
import { assertValidResources } from "./received-resources";
import { globalToZoneTypes, ORIGIN_LABEL, ZONE_LABEL, zoneToGlobalTypes } from "./sync-types";
import { watchTypes } from "./type-views";

export interface ZoneKdsOptions {
  store: ResourceStore;
  zone: string;
  globalAddress: string;
  instanceId: string;
  version: string;
  /** Called on every (re)connect. */
  token: () => string | Promise<string>;
  reconnect?: { initialDelayMs: number; maxDelayMs: number };
  /** Handlers of the global's requests by kind (see `@zonemesh/kds` `globalRequests`). */
  globalRequests?: Record<string, (payload: unknown) => unknown>;
}

export interface ZoneKds extends CpComponent {
  client: KdsClient;
}

const fromGlobal = (item: StoredResource) => item.labels[ORIGIN_LABEL] === "global";
const asKdsResource = (item: StoredResource): KdsResource => ({ mesh: item.mesh, name: item.name, labels: item.labels, body: item.spec });

export function startZoneKds(options: ZoneKdsOptions): ZoneKds {
  const { store, zone } = options;
  const local = watchTypes(store, zoneToGlobalTypes);

  async function applyFromGlobal(type: string, delta: ResourceDelta): Promise<void> {
    assertValidResources(type, delta.upserted);
    const received = delta.upserted.map((resource) => ({
      type,
      mesh: resource.mesh,
      name: resource.name,
      labels: { ...resource.labels, [ORIGIN_LABEL]: "global" },
      spec: resource.body,
    }));
    if (zoneToGlobalTypes.includes(type)) {
      for (const resource of received) {
        const existing = await store.get(resource);
        if (existing && !fromGlobal(existing)) {
          throw new Error(`${type} "${resource.name}" from the global would replace this zone's own ${type} of that name`);
        }
      }
    }
    // All of the response or, when one is refused, none of it.
    await store.upsertMany(received);
    for (const { mesh, name } of delta.removed) {
      const existing = await store.get({ type, mesh, name });
      if (!existing || !fromGlobal(existing)) continue;
      try {
        // As on the global, removing a Mesh removes everything in it.
        if (type === "Mesh") await store.deleteMesh(name);
        else await store.delete({ type, mesh, name });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  }

  const client = createKdsClient({
    address: options.globalAddress,
    zone,
    instanceId: options.instanceId,
    version: options.version,
    token: options.token,
    zoneToGlobal: {
      types: zoneToGlobalTypes,
      snapshotFor: async (type) =>
        (await local.list(type))
          .filter((item) => !fromGlobal(item))
          .map((item) => ({ ...asKdsResource(item), labels: { ...item.labels, [ORIGIN_LABEL]: "zone", [ZONE_LABEL]: zone } })),
      subscribe: (onChange) => local.subscribe(onChange),
    },
    globalToZone: {
      types: globalToZoneTypes,
      heldFromGlobal: async (type) => (await store.list({ type, labels: { [ORIGIN_LABEL]: "global" } })).items.map(asKdsResource),
      onGlobalResources: applyFromGlobal,
    },
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.globalRequests ? { globalRequests: options.globalRequests } : {}),
    onStreamClosed: logStreamEnd(options.globalAddress),
  });
  client.start();
  return {
    client,
    async close() {
      client.stop();
      local.close();
    },
  };
}

/** Logs why the global ended a stream, once per distinct reason and stream, so a refused zone says why without flooding. */
function logStreamEnd(address: string): (kind: KdsStreamKind, end: KdsStreamEnd) => void {
  const last = new Map<KdsStreamKind, string>();
  return (kind, end) => {
    const reason = `code ${end.code}: ${end.details}`;
    if (last.get(kind) === reason) return;
    last.set(kind, reason);
    console.error(`kds: ${kind} stream to the global at ${address} ended (${reason})`);
  };
}
