import { isDeepStrictEqual } from "node:util";
import type { DataplaneBody, MeshBody, PolicyResource, ZoneIngressBody } from "@zonemesh/resources";
import { ConflictError, type ChangeEvent, type ResourceStore } from "@zonemesh/store";
import { ORIGIN_LABEL } from "../../kds/sync-types";
import { generateIngressResources } from "../generate/ingress/generate-ingress";
import { toResource } from "./mesh-state";

/** What a local ingress serves depends on these: the zone's meshes, dataplanes, routes to subsets, and the ingress itself. */
const INPUT_TYPES = new Set(["Mesh", "Dataplane", "MeshHTTPRoute", "MeshTCPRoute", "ZoneIngress"]);

export interface IngressAvailableServicesOptions {
  store: ResourceStore;
  localZone: string;
  /** Changes arriving within this window are computed in one pass. */
  debounceMs: number;
}

/**
 * Keeps `availableServices` of the zone's own ZoneIngresses (not those other zones' synced through the global) up to
 * date, as Kuma's zone CP does: KDS carries them to the other zones, whose proxies then reach these services through
 * the ingress. Writes only a changed list, so its own write (a ZoneIngress change) ends in a pass that writes nothing.
 */
export class IngressAvailableServices {
  readonly #options: IngressAvailableServicesOptions;
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: IngressAvailableServicesOptions) {
    this.#options = options;
    this.#unsubscribe = options.store.subscribe((event: ChangeEvent) => {
      if (INPUT_TYPES.has(event.type)) this.#kick();
    });
    this.#kick();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#unsubscribe();
    await this.#pass;
  }

  #kick(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pass = this.#pass.then(() => this.#update()).catch((error: Error) => console.error(`xds: ingress availableServices not updated: ${error.message}`));
    }, this.#options.debounceMs);
  }

  async #update(): Promise<void> {
    const { store, localZone } = this.#options;
    const ingresses = (await store.list({ type: "ZoneIngress" })).items.filter((ingress) => ingress.labels[ORIGIN_LABEL] !== "global");
    if (ingresses.length === 0) return;
    const all = async (type: string) => (await store.list({ type })).items;
    const [meshes, dataplanes, httpRoutes, tcpRoutes] = await Promise.all([all("Mesh"), all("Dataplane"), all("MeshHTTPRoute"), all("MeshTCPRoute")]);
    const input = {
      meshes: meshes.map((mesh) => ({ name: mesh.name, body: mesh.spec as MeshBody })),
      dataplanes: dataplanes.map((dataplane) => toResource<DataplaneBody>(dataplane)),
      policies: [...httpRoutes, ...tcpRoutes].map((route) => toResource<PolicyResource["body"]>(route)),
      localZone,
    };
    for (const ingress of ingresses) {
      if (this.#closed) return;
      const body = ingress.spec as ZoneIngressBody;
      const { availableServices } = generateIngressResources({ ...input, ingress: { name: ingress.name, body } });
      if (isDeepStrictEqual(body.availableServices ?? [], availableServices)) continue;
      try {
        const { type, mesh, name, labels, version } = ingress;
        await store.update({ type, mesh, name, labels, version, spec: { ...body, availableServices } });
      } catch (error) {
        // Changed meanwhile: that change runs another pass.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
}
