// Composition root of one control-plane process: the store, the REST API and, by mode,
// the xDS server for local proxies (zone, standalone) and the KDS side (global server, zone client).
import { openStore, type ResourceStore } from "@zonemesh/store";
import { createApiServer, createTokenService, loadOrCreateSigningKeys, type ApiRoute, type ApiServer } from "./api-server";
import { ensureDefaultMesh } from "./api/mesh-defaults";
import type { CpConfig } from "./config";
import { startKdsComponents } from "./kds/kds-components";
import { startXdsComponent } from "./xds/server/xds-component";
import { cpVersion } from "./version";

/** A part of the CP that runs beside the API (xDS server, KDS server or client). */
export interface CpComponent {
  routes?: ApiRoute[];
  close(): Promise<void>;
}

export interface ControlPlane {
  config: CpConfig;
  store: ResourceStore;
  api: ApiServer;
  close(): Promise<void>;
}

export async function startControlPlane(config: CpConfig): Promise<ControlPlane> {
  const store = await openStore({ ...(config.storeUrl ? { url: config.storeUrl } : {}), dataDir: config.dataDir });
  const components: CpComponent[] = [];
  try {
    const signingKeys = await loadOrCreateSigningKeys(store);
    // A zone gets its meshes from the global.
    if (config.mode !== "zone" && !config.skipDefaultMesh) await ensureDefaultMesh(store);
    // xDS first: the zone's KDS client answers the global's requests about what it serves its proxies.
    const xds = config.mode !== "global" ? await startXdsComponent({ store, config, tokens: createTokenService(signingKeys) }) : undefined;
    if (xds) components.push(xds);
    components.push(...(await startKdsComponents(config, { store, signingKeys, ...(xds ? { xds } : {}) })));
    const api = await createApiServer({
      store,
      mode: config.mode,
      ...(config.zone ? { zone: config.zone } : {}),
      signingKeys,
      version: cpVersion,
      listen: { host: config.apiHost, port: config.apiPort },
      routes: components.flatMap((c) => c.routes ?? []),
    });
    return {
      config,
      store,
      api,
      async close() {
        await api.close();
        for (const component of components.reverse()) await component.close();
        await store.close();
      },
    };
  } catch (error) {
    for (const component of components.reverse()) await component.close().catch(() => {});
    await store.close();
    throw error;
  }
}
