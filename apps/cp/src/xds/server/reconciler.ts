import { performance } from "node:perf_hooks";
import { enabledMtlsBackend, typeByName } from "@zonemesh/resources";
import type { ChangeEvent, ResourceStore } from "@zonemesh/store";
import type { SnapshotCache } from "@zonemesh/xds";
import type { CertificateAuthority } from "../ca/index";
import { MeshView, generateProxyResources, type GenerationWarning } from "../generate/index";
import { MeshCas, type CaBackend } from "./mesh-cas";
import { loadMeshState, loadPolicies, type MeshState } from "./mesh-state";
import { dataplanesAffectedByPolicies } from "./policy-change";
import { MeshVips, VIP_CONFIG_TYPE, meshOfVipConfig } from "./mesh-vips";
import { ProxyCertificateStore } from "./proxy-certificates";
import type { ProxyKey } from "./proxy-id";
import type { XdsMetrics } from "./xds-metrics";

/**
 * Proxies generated between two turns of the event loop in a pass: the responses of those generated so far leave (and
 * their proxies start applying them) while the rest are generated, instead of all after the whole pass.
 */
const PROXIES_PER_TURN = 500;
/** The shortest wait before looking again for certificates due: one that could not be renewed is retried this often. */
const ROTATION_RETRY_MS = 1000;

export interface ReconcilerOptions {
  store: ResourceStore;
  cache: SnapshotCache;
  metrics: XdsMetrics;
  /** Dataplanes without a `kuma.io/zone` label are in this zone. */
  localZone: string;
  vipCidr?: string;
  /** Changes arriving within this window are computed in one pass. */
  debounceMs: number;
  /** Longest wait between two looks for certificates past their rotation point (sooner when one is due sooner). */
  certificateCheckIntervalMs: number;
}

/** The outcome of the last generation for a proxy. */
export interface GenerationRecord {
  time: Date;
  durationMs?: number;
  error?: string;
  warnings: GenerationWarning[];
}

/** What a proxy's node says about it. */
interface ProxyNode {
  proxyless: boolean;
  /** Its admin endpoint on 127.0.0.1, when it reports one. */
  adminPort: number | undefined;
}

interface ConnectedProxy extends ProxyNode {
  key: ProxyKey;
  streams: number;
}

interface MeshInputs {
  state: MeshState;
  view: MeshView;
  vips: Map<string, string>;
  dataplanes: Map<string, MeshState["dataplanes"][number]>;
  mtls?: { backend: IssuingBackend; ca: CertificateAuthority };
}

type IssuingBackend = CaBackend & { ttl?: string };

/** The mesh's enabled mTLS backend, when certificates can be issued from it (builtin and provided ones). */
function issuingBackend(mesh: MeshState["mesh"]): IssuingBackend | undefined {
  const enabled = mesh.mtls?.enabledBackend;
  if (!enabled) return undefined;
  const backend = enabledMtlsBackend(mesh);
  if (!backend) throw new Error(`mesh "${mesh.name}" enables mTLS backend "${enabled}", which it does not define`);
  if (backend.type !== "builtin" && backend.type !== "provided") {
    throw new Error(`mTLS backend "${enabled}" of mesh "${mesh.name}" is of type ${backend.type}; this control plane issues certificates from builtin and provided backends only`);
  }
  return { ...backend, ...(backend.dpCert?.rotation ? { ttl: backend.dpCert.rotation.expiration } : {}) };
}

/**
 * Keeps the snapshot of every connected proxy up to date: a store change marks the meshes it affects, a connection
 * marks its proxy, and after a short debounce one pass regenerates only the marked proxies that are connected.
 * A proxy whose generation fails keeps its last snapshot and gets the error recorded; the others are not affected.
 */
export class Reconciler {
  readonly certificates: ProxyCertificateStore;
  readonly #options: ReconcilerOptions;
  readonly #proxies = new Map<string, ConnectedProxy>();
  readonly #records = new Map<string, GenerationRecord>();
  readonly #dirtyMeshes = new Set<string>();
  /** Meshes where only policies changed: only the proxies those policies select (before or after) are regenerated. */
  readonly #policyMeshes = new Set<string>();
  readonly #dirtyProxies = new Set<string>();
  readonly #meshInputCache = new Map<string, MeshInputs>();
  readonly #vips: MeshVips;
  readonly #cas: MeshCas;
  readonly #unsubscribe: () => void;
  #rotationTimer: NodeJS.Timeout | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ReconcilerOptions) {
    this.#options = options;
    this.#vips = new MeshVips(options.store, options.vipCidr);
    this.#cas = new MeshCas(options.store);
    this.certificates = new ProxyCertificateStore();
    this.#unsubscribe = options.store.subscribe((event) => this.#changed(event));
    this.#armRotation();
  }

  connected(nodeId: string, key: ProxyKey, node: ProxyNode): void {
    const proxy = this.#proxies.get(nodeId);
    if (proxy) proxy.streams++;
    else this.#proxies.set(nodeId, { key, ...node, streams: 1 });
    this.#markProxy(nodeId);
  }

  disconnected(nodeId: string): void {
    const proxy = this.#proxies.get(nodeId);
    if (!proxy || --proxy.streams > 0) return;
    this.#proxies.delete(nodeId);
    this.#records.delete(nodeId);
    this.#dirtyProxies.delete(nodeId);
    this.certificates.forget(nodeId);
    this.#options.cache.clearSnapshot(nodeId);
  }

  connectedCount(): number {
    return this.#proxies.size;
  }

  record(nodeId: string): GenerationRecord | undefined {
    return this.#records.get(nodeId);
  }

  /** The last generation of every connected proxy that has one. */
  *generations(): IterableIterator<{ key: ProxyKey; record: GenerationRecord }> {
    for (const [nodeId, record] of this.#records) {
      const proxy = this.#proxies.get(nodeId);
      if (proxy) yield { key: proxy.key, record };
    }
  }

  /** Stops reacting and waits for the pass in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#rotationTimer);
    this.#unsubscribe();
    await this.#pass;
  }

  #changed(event: ChangeEvent): void {
    if (event.type === "Mesh") return this.#markMesh(event.name);
    if (event.type === "ZoneIngress") {
      // Every mesh reads the ingresses, those without proxies now included.
      this.#meshInputCache.clear();
      for (const proxy of this.#proxies.values()) this.#markMesh(proxy.key.mesh);
      return;
    }
    if (event.type === "Secret") {
      this.#cas.forget(event.mesh);
      return this.#markMesh(event.mesh);
    }
    if (event.type === VIP_CONFIG_TYPE) {
      const mesh = meshOfVipConfig(event.name);
      if (mesh === undefined) return;
      this.#vips.forget(mesh);
      return this.#markMesh(mesh);
    }
    if (event.type === "Dataplane" || event.type === "ExternalService") return this.#markMesh(event.mesh);
    if (typeByName(event.type)?.isPolicy) {
      this.#policyMeshes.add(event.mesh);
      this.#kick();
    }
  }

  /**
   * Wakes up at the next certificate's rotation point (at the latest after the check interval, at the earliest after
   * `minDelayMs`: a certificate that could not be renewed is not retried in a tight loop) and marks those due.
   */
  #armRotation(minDelayMs = 0): void {
    clearTimeout(this.#rotationTimer);
    if (this.#closed) return;
    const next = this.certificates.nextRotationAt();
    const untilNext = next === undefined ? Infinity : next - Date.now();
    const delay = Math.min(this.#options.certificateCheckIntervalMs, Math.max(minDelayMs, untilNext));
    this.#rotationTimer = setTimeout(() => {
      for (const nodeId of this.certificates.rotationDue()) this.#markProxy(nodeId);
      this.#armRotation(ROTATION_RETRY_MS);
    }, delay).unref();
  }

  #markMesh(mesh: string): void {
    this.#dirtyMeshes.add(mesh);
    this.#kick();
  }

  #markProxy(nodeId: string): void {
    this.#dirtyProxies.add(nodeId);
    this.#kick();
  }

  #kick(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pass = this.#pass.then(() => this.#reconcile()).catch((error: Error) => console.error(`xds: reconciliation failed: ${error.message}`));
    }, this.#options.debounceMs);
  }

  async #reconcile(): Promise<void> {
    const meshes = new Set(this.#dirtyMeshes);
    const policyMeshes = [...this.#policyMeshes].filter((mesh) => !meshes.has(mesh));
    const proxies = new Set(this.#dirtyProxies);
    for (const mesh of meshes) this.#meshInputCache.delete(mesh);
    this.#dirtyMeshes.clear();
    this.#policyMeshes.clear();
    this.#dirtyProxies.clear();
    const affected = new Map<string, (name: string) => boolean>();
    for (const mesh of policyMeshes) {
      const selects = await this.#refreshPolicies(mesh);
      if (selects) affected.set(mesh, selects);
      else meshes.add(mesh);
    }
    const byMesh = new Map<string, string[]>();
    for (const [nodeId, proxy] of this.#proxies) {
      if (!meshes.has(proxy.key.mesh) && !proxies.has(nodeId) && !affected.get(proxy.key.mesh)?.(proxy.key.name)) continue;
      const group = byMesh.get(proxy.key.mesh);
      if (group) group.push(nodeId);
      else byMesh.set(proxy.key.mesh, [nodeId]);
    }
    for (const [mesh, nodeIds] of byMesh) {
      if (this.#closed) return;
      try {
        await this.#reconcileMesh(mesh, nodeIds);
      } catch (error) {
        for (const nodeId of nodeIds) this.#failed(nodeId, error);
      }
    }
    // Certificates issued in this pass may be due before the timer.
    if (this.certificates.size() > 0) this.#armRotation(ROTATION_RETRY_MS);
  }

  /**
   * After a policy-only change, re-reads just the mesh's policies onto its known inputs and tells which proxies they
   * can affect; undefined when there is nothing to compare with (or the read failed): then every proxy is regenerated.
   */
  async #refreshPolicies(meshName: string): Promise<((name: string) => boolean) | undefined> {
    const previous = this.#meshInputCache.get(meshName);
    if (!previous) return undefined;
    this.#meshInputCache.delete(meshName);
    let policies: MeshState["policies"];
    try {
      policies = await loadPolicies(this.#options.store, meshName);
    } catch {
      return undefined;
    }
    const state = { ...previous.state, policies };
    // A fresh view: its outbound cache is keyed by the policies' rules, which are new objects now.
    const view = new MeshView({ ...state, localZone: this.#options.localZone });
    this.#meshInputCache.set(meshName, { ...previous, state, view });
    const selects = dataplanesAffectedByPolicies(previous.state.policies, policies);
    return (name) => {
      const dataplane = previous.dataplanes.get(name);
      return !dataplane || selects(dataplane);
    };
  }

  /** What every proxy of the mesh is generated from; read again only after a change to the mesh. */
  async #meshInputs(meshName: string): Promise<MeshInputs> {
    const known = this.#meshInputCache.get(meshName);
    if (known) return known;
    const { store, localZone } = this.#options;
    const state = await loadMeshState(store, meshName);
    if (!state) throw new Error(`mesh "${meshName}" does not exist`);
    const view = new MeshView({ ...state, localZone });
    const vips = await this.#vips.forServices(meshName, view.services.keys());
    const backend = issuingBackend(state.mesh);
    const ca = backend && (await this.#cas.get(meshName, backend));
    const dataplanes = new Map(state.dataplanes.map((dataplane) => [dataplane.name, dataplane]));
    const inputs = { state, view, vips, dataplanes, ...(backend && ca ? { mtls: { backend, ca } } : {}) };
    this.#meshInputCache.set(meshName, inputs);
    return inputs;
  }

  async #reconcileMesh(meshName: string, nodeIds: string[]): Promise<void> {
    const { localZone } = this.#options;
    const { state, view, vips, dataplanes, mtls } = await this.#meshInputs(meshName);
    for (const [index, nodeId] of nodeIds.entries()) {
      if (index > 0 && index % PROXIES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.#closed) return;
      const proxy = this.#proxies.get(nodeId);
      if (!proxy) continue;
      try {
        const dataplane = dataplanes.get(proxy.key.name);
        if (!dataplane) {
          throw new Error(`there is no Dataplane "${proxy.key.name}" in mesh "${meshName}": register it (PUT /meshes/${meshName}/dataplanes/${proxy.key.name})`);
        }
        const certificates = mtls ? await this.certificates.forProxy(nodeId, dataplane, mtls.ca, mtls.backend) : undefined;
        // It may have disconnected while its certificate was being issued.
        if (!this.#proxies.has(nodeId)) {
          this.certificates.forget(nodeId);
          continue;
        }
        const started = performance.now();
        const { warnings, ...resources } = generateProxyResources(
          { dataplane, ...state, vips, localZone, proxyless: proxy.proxyless, ...(proxy.adminPort ? { adminPort: proxy.adminPort } : {}), ...(certificates ? { certificates } : {}) },
          view,
        );
        this.#options.cache.setSnapshot(nodeId, resources);
        const durationMs = performance.now() - started;
        this.#options.metrics.generated(durationMs / 1000);
        this.#records.set(nodeId, { time: new Date(), durationMs, warnings });
      } catch (error) {
        this.#failed(nodeId, error);
      }
    }
  }

  #failed(nodeId: string, error: unknown): void {
    if (!this.#proxies.has(nodeId)) return;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`xds: could not generate the configuration of ${nodeId}: ${message}`);
    this.#options.metrics.generationFailed();
    this.#records.set(nodeId, { time: new Date(), error: message, warnings: [] });
  }
}
