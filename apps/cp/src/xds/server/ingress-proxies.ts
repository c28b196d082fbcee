import { isDeepStrictEqual } from "node:util";
import { performance } from "node:perf_hooks";
import type { DataplaneBody, MeshBody, PolicyResource, ZoneIngressBody } from "@zonemesh/resources";
import { ConflictError, type ChangeEvent, type ResourceStore, type StoredResource } from "@zonemesh/store";
import type { SnapshotCache } from "@zonemesh/xds";
import { ORIGIN_LABEL } from "../../kds/sync-types";
import { generateIngressResources } from "../generate/ingress/generate-ingress";
import type { AvailableService, IngressInput } from "../generate/ingress/input";
import { toResource } from "./mesh-state";
import { ingressNodeIdOf } from "./proxy-id";
import type { GenerationRecord } from "./reconciler";
import type { XdsMetrics } from "./xds-metrics";

/** What a local ingress serves depends on these: the zone's meshes, dataplanes, routes to subsets, and the ingress itself. */
const INPUT_TYPES = new Set(["Mesh", "Dataplane", "MeshHTTPRoute", "MeshTCPRoute", "ZoneIngress"]);

export interface IngressProxiesOptions {
  store: ResourceStore;
  cache: SnapshotCache;
  metrics: XdsMetrics;
  localZone: string;
  /** Changes arriving within this window are computed in one pass. */
  debounceMs: number;
}

/**
 * Serves the zone's own ZoneIngresses (not those of other zones synced through the global), as Kuma's zone CP does:
 * one generation per ingress after a change of its inputs gives both the snapshot of a connected ingress proxy (node id
 * `.<name>`; the cache re-sends only what changed) and the ingress's `availableServices`, which KDS carries to the
 * other zones so their proxies reach these services through it. The list is written only when it changed, so its own
 * write (a ZoneIngress change) ends in a pass that writes nothing. An ingress whose generation fails keeps its last
 * snapshot and gets the error recorded.
 */
export class IngressProxies {
  readonly #options: IngressProxiesOptions;
  /** Ingress name -> open streams. */
  readonly #connected = new Map<string, number>();
  readonly #records = new Map<string, GenerationRecord>();
  readonly #unsubscribe: () => void;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: IngressProxiesOptions) {
    this.#options = options;
    this.#unsubscribe = options.store.subscribe((event: ChangeEvent) => {
      if (INPUT_TYPES.has(event.type)) this.#kick();
    });
    this.#kick();
  }

  connected(name: string): void {
    this.#connected.set(name, (this.#connected.get(name) ?? 0) + 1);
    this.#kick();
  }

  disconnected(name: string): void {
    const streams = (this.#connected.get(name) ?? 0) - 1;
    if (streams > 0) return void this.#connected.set(name, streams);
    this.#connected.delete(name);
    this.#records.delete(name);
    this.#options.cache.clearSnapshot(ingressNodeIdOf(name));
  }

  connectedCount(): number {
    return this.#connected.size;
  }

  record(name: string): GenerationRecord | undefined {
    return this.#records.get(name);
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
      this.#pass = this.#pass.then(() => this.#update()).catch((error: Error) => console.error(`xds: zone ingresses not updated: ${error.message}`));
    }, this.#options.debounceMs);
  }

  async #update(): Promise<void> {
    const { store, localZone } = this.#options;
    const ingresses = (await store.list({ type: "ZoneIngress" })).items;
    const own = ingresses.filter((ingress) => ingress.labels[ORIGIN_LABEL] !== "global");
    for (const name of this.#connected.keys()) {
      if (own.some((ingress) => ingress.name === name)) continue;
      const other = ingresses.find((ingress) => ingress.name === name);
      this.#failed(
        name,
        other
          ? `ZoneIngress "${name}" belongs to another zone (synced from the global control plane), not to zone "${localZone}"`
          : `there is no ZoneIngress "${name}" in zone "${localZone}": register it (PUT /zoneingresses/${name})`,
      );
    }
    if (own.length === 0) return;
    const all = async (type: string) => (await store.list({ type })).items;
    const [meshes, dataplanes, httpRoutes, tcpRoutes] = await Promise.all([all("Mesh"), all("Dataplane"), all("MeshHTTPRoute"), all("MeshTCPRoute")]);
    const input: Omit<IngressInput, "ingress"> = {
      meshes: meshes.map((mesh) => ({ name: mesh.name, body: mesh.spec as MeshBody })),
      dataplanes: dataplanes.map((dataplane) => toResource<DataplaneBody>(dataplane)),
      policies: [...httpRoutes, ...tcpRoutes].map((route) => toResource<PolicyResource["body"]>(route)),
      localZone,
    };
    for (const ingress of own) {
      if (this.#closed) return;
      await this.#serve(ingress, input);
    }
  }

  async #serve(ingress: StoredResource, input: Omit<IngressInput, "ingress">): Promise<void> {
    const body = ingress.spec as ZoneIngressBody;
    const connected = this.#connected.has(ingress.name);
    let availableServices: AvailableService[];
    try {
      const started = performance.now();
      const { availableServices: services, ...resources } = generateIngressResources({ ...input, ingress: { name: ingress.name, body } });
      availableServices = services;
      if (connected) {
        this.#options.cache.setSnapshot(ingressNodeIdOf(ingress.name), resources);
        const durationMs = performance.now() - started;
        this.#options.metrics.generated(durationMs / 1000);
        this.#records.set(ingress.name, { time: new Date(), durationMs, warnings: [] });
      }
    } catch (error) {
      if (connected) this.#failed(ingress.name, error instanceof Error ? error.message : String(error));
      else console.error(`xds: could not generate ZoneIngress "${ingress.name}": ${(error as Error).message}`);
      return;
    }
    if (isDeepStrictEqual(body.availableServices ?? [], availableServices)) return;
    try {
      const { type, mesh, name, labels, version } = ingress;
      await this.#options.store.update({ type, mesh, name, labels, version, spec: { ...body, availableServices } });
    } catch (error) {
      // Changed meanwhile: that change runs another pass.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  #failed(name: string, message: string): void {
    console.error(`xds: could not generate the configuration of zone ingress ${ingressNodeIdOf(name)}: ${message}`);
    this.#options.metrics.generationFailed();
    this.#records.set(name, { time: new Date(), error: message, warnings: [] });
  }
}
