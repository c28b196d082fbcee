// Keeps each connected proxy's DataplaneInsight (the API's online/offline status and the GUI read it): one xDS
// subscription per stream with connect/disconnect times, this CP's instance id and per-type response counters, plus
// the proxy's certificate. Writes are throttled: changes of a proxy within one flush interval make one write. A stream
// opening or closing is written within `flushIntervalMs`; counter changes alone (responses sent, ACKs, NACKs) wait for
// `counterFlushIntervalMs`, as Kuma's status sink does, and then for a moment when the server is not pushing: a push
// to every proxy would otherwise be followed at once by a write per proxy, competing with that push for the CPU.
import { randomUUID } from "node:crypto";
import { dataplaneInsightBody, type DataplaneInsightBody } from "@zonemesh/resources";
import type { ChangeEvent, ResourceStore, StoredResource } from "@zonemesh/store";
import type { StreamInfo, TypeUrl } from "@zonemesh/xds";
import type { IssuedCertificate } from "./proxy-certificates";
import type { ProxyKey } from "./proxy-id";
import { proxyVersionOf } from "./proxy-version";
import { discoveryServiceOf } from "./xds-type-names";

type Subscription = NonNullable<DataplaneInsightBody["subscriptions"]>[number];
type Stats = { responsesSent: number; responsesAcknowledged: number; responsesRejected: number };

/** Kuma keeps a bounded subscription history per insight. */
const MAX_SUBSCRIPTIONS = 5;
/** Proxies written per store transaction: small enough that pushes and ACKs get event-loop turns between them. */
const FLUSH_BATCH = 100;
/** Between two transactions: long enough for the socket writes and reads waiting behind them. */
const BATCH_PAUSE_MS = 5;
/** How often a due counter flush looks again whether the server is still busy. */
const QUIET_POLL_MS = 100;
/** From this many unknown insights in a batch on, one list of the mesh is cheaper than a read each. */
const LIST_READ_THRESHOLD = 50;

export interface DataplaneInsightOptions {
  store: ResourceStore;
  /** Default DataplaneInsight; zone ingresses (key `{mesh: "", name}`) have a ZoneIngressInsight of the same shape without mTLS. */
  insightType?: "DataplaneInsight" | "ZoneIngressInsight";
  controlPlaneInstanceId: string;
  /** Longest wait before a stream's opening or closing is written. */
  flushIntervalMs: number;
  /** Wait before counter changes alone are written: then while `busy`, at most as long again. */
  counterFlushIntervalMs: number;
  /** True while the xDS server is sending responses or receiving ACKs. */
  busy?: () => boolean;
  certificate(nodeId: string): IssuedCertificate | undefined;
}

interface ProxyInsight {
  nodeId: string;
  key: ProxyKey;
  /** Subscriptions of this CP not written yet in their latest state; closed ones leave once written. */
  subscriptions: Map<string, { subscription: Subscription; open: boolean }>;
  /** The insight as last read or written by us; undefined when unknown or changed by someone else since. */
  stored?: { version: number; spec: DataplaneInsightBody; labels: Record<string, string> };
  /** Store events seen while a write of ours is in flight: judged once its version is known. */
  writing?: ChangeEvent[];
  /** Dirty because someone else wrote it, not because ours changed: written only if the merge differs. */
  reread?: boolean;
}

const keyText = (key: ProxyKey) => `${key.mesh}/${key.name}`;
const newStats = (): Stats => ({ responsesSent: 0, responsesAcknowledged: 0, responsesRejected: 0 });

export class DataplaneInsights {
  readonly #options: DataplaneInsightOptions;
  readonly #proxies = new Map<string, ProxyInsight>();
  /** The same proxies by insight key (`<mesh>/<name>`), for store events. */
  readonly #byKey = new Map<string, ProxyInsight>();
  readonly #unsubscribe: () => void;
  readonly #streams = new Map<number, { nodeId: string; subscription: Subscription }>();
  readonly #dirty = new Set<string>();
  /** Proxies with changed counters only: written by the slower counter flush (or with the next prompt one). */
  readonly #counted = new Set<string>();
  #writing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #counterTimer: NodeJS.Timeout | undefined;

  constructor(options: DataplaneInsightOptions) {
    this.#options = options;
    this.#unsubscribe = options.store.subscribe((event) => {
      if (event.type !== this.#type) return;
      const proxy = this.#byKey.get(keyText(event));
      if (proxy) this.#storeChanged(proxy, event);
    });
  }

  get #type(): string {
    return this.#options.insightType ?? "DataplaneInsight";
  }

  opened(stream: StreamInfo, key: ProxyKey): void {
    const nodeId = stream.node.id;
    const version = proxyVersionOf(stream.node);
    const subscription: Subscription = {
      id: randomUUID(),
      connectTime: new Date().toISOString(),
      controlPlaneInstanceId: this.#options.controlPlaneInstanceId,
      ...(version ? { version } : {}),
      status: { lastUpdateTime: new Date().toISOString(), total: newStats(), lds: newStats(), cds: newStats(), eds: newStats(), rds: newStats() },
    };
    let proxy = this.#proxies.get(nodeId);
    if (!proxy) {
      proxy = { nodeId, key, subscriptions: new Map() };
      this.#proxies.set(nodeId, proxy);
      this.#byKey.set(keyText(key), proxy);
    }
    proxy.subscriptions.set(subscription.id, { subscription, open: true });
    this.#streams.set(stream.streamId, { nodeId, subscription });
    this.#markDirty(nodeId);
  }

  closed(stream: StreamInfo): void {
    const live = this.#streams.get(stream.streamId);
    if (!live) return;
    this.#streams.delete(stream.streamId);
    live.subscription.disconnectTime = new Date().toISOString();
    const entry = this.#proxies.get(live.nodeId)?.subscriptions.get(live.subscription.id);
    if (entry) entry.open = false;
    this.#markDirty(live.nodeId);
  }

  sent(stream: StreamInfo, typeUrl: TypeUrl): void {
    this.#count(stream, typeUrl, "responsesSent");
  }

  acknowledged(stream: StreamInfo, typeUrl: TypeUrl): void {
    this.#count(stream, typeUrl, "responsesAcknowledged");
  }

  rejected(stream: StreamInfo, typeUrl: TypeUrl): void {
    this.#count(stream, typeUrl, "responsesRejected");
  }

  /** Proxies with state in memory (open streams or unwritten changes): for leak checks. */
  pendingCount(): number {
    return this.#proxies.size;
  }

  /** Writes everything pending now and waits for it. */
  async close(): Promise<void> {
    this.#unsubscribe();
    clearTimeout(this.#timer);
    clearTimeout(this.#counterTimer);
    this.#timer = undefined;
    this.#counterTimer = undefined;
    for (const nodeId of this.#counted) this.#dirty.add(nodeId);
    this.#flush();
    await this.#writing;
  }

  #count(stream: StreamInfo, typeUrl: TypeUrl, counter: keyof Stats): void {
    const live = this.#streams.get(stream.streamId);
    if (!live) return;
    const { status } = live.subscription;
    (status.total as Stats)[counter]++;
    const service = discoveryServiceOf[typeUrl];
    if (service !== "sds") (status[service] as Stats)[counter]++;
    status.lastUpdateTime = new Date().toISOString();
    if (this.#dirty.has(live.nodeId)) return; // written with the prompt flush anyway
    this.#counted.add(live.nodeId);
    if (!this.#counterTimer) this.#armCounterFlush(this.#options.counterFlushIntervalMs, Date.now() + 2 * this.#options.counterFlushIntervalMs);
  }

  /** Flushes the counted proxies after `delayMs`, or later while the server is busy, but not after `deadline`. */
  #armCounterFlush(delayMs: number, deadline: number): void {
    this.#counterTimer = setTimeout(() => {
      if (this.#options.busy?.() && Date.now() < deadline) return this.#armCounterFlush(QUIET_POLL_MS, deadline);
      this.#counterTimer = undefined;
      for (const nodeId of this.#counted) this.#dirty.add(nodeId);
      this.#flush();
    }, delayMs);
  }

  #markDirty(nodeId: string): void {
    this.#dirty.add(nodeId);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#options.flushIntervalMs);
  }

  /**
   * Writes the dirty proxies: one read of the insights we do not know yet, then one `upsertMany` transaction per
   * batch, instead of a read and a write per proxy (on SQLite's synchronous driver those calls block the event
   * loop, and thousands of them held back every push and ACK). Changes arriving meanwhile wait for the next flush.
   */
  #flush(): void {
    const nodeIds = [...this.#dirty];
    this.#dirty.clear();
    for (const nodeId of nodeIds) this.#counted.delete(nodeId); // their write carries the counters as they are then
    this.#writing = this.#writing.then(async () => {
      try {
        await this.#readUnknown(nodeIds.flatMap((nodeId) => this.#proxies.get(nodeId) ?? []).filter((proxy) => !proxy.stored));
      } catch (error) {
        console.error(`xds: could not read the ${this.#type}s of ${nodeIds.length} proxies: ${(error as Error).message}`);
        return;
      }
      for (let i = 0; i < nodeIds.length; i += FLUSH_BATCH) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS)); // let pushes and ACKs through
        const batch = nodeIds.slice(i, i + FLUSH_BATCH).flatMap((nodeId) => {
          const proxy = this.#proxies.get(nodeId);
          return proxy ? [{ nodeId, proxy }] : [];
        });
        try {
          await this.#writeBatch(batch);
        } catch (error) {
          console.error(`xds: could not update the ${this.#type}s of ${batch.length} proxies: ${(error as Error).message}`);
        }
      }
    });
  }

  async #writeBatch(batch: { nodeId: string; proxy: ProxyInsight }[]): Promise<void> {
    const writes: { proxy: ProxyInsight; spec: DataplaneInsightBody; labels: Record<string, string>; written: { id: string; open: boolean }[] }[] = [];
    for (const { nodeId, proxy } of batch) {
      if (!proxy.stored) {
        this.#markDirty(nodeId); // someone else wrote it since the read: read again next time
        continue;
      }
      // Copies: counters keep moving while the write is in flight.
      const ours = [...proxy.subscriptions.values()].map(({ subscription, open }) => ({ subscription: structuredClone(subscription), open }));
      const previous = proxy.stored.spec;
      const ids = new Set(ours.map((s) => s.subscription.id));
      const subscriptions = [...(previous.subscriptions ?? []).filter((s) => !ids.has(s.id)), ...ours.map((s) => s.subscription)].slice(-MAX_SUBSCRIPTIONS);
      const certificate = this.#options.certificate(nodeId);
      const spec: DataplaneInsightBody = {
        ...previous,
        subscriptions,
        ...(certificate
          ? {
              mTLS: {
                certificateExpirationTime: certificate.certificate.notAfter.toISOString(),
                lastCertificateRegeneration: certificate.issuedAt.toISOString(),
                certificateRegenerations: certificate.generation,
                issuedBackend: certificate.backend,
                supportedBackends: [certificate.backend],
              },
            }
          : {}),
      };
      const written = ours.map(({ subscription, open }) => ({ id: subscription.id, open }));
      const unchanged = proxy.reread && proxy.stored && JSON.stringify(spec) === JSON.stringify(proxy.stored.spec);
      proxy.reread = false;
      if (unchanged) this.#written(proxy, written);
      else writes.push({ proxy, spec, labels: proxy.stored.labels, written });
    }
    if (writes.length === 0) return;
    for (const { proxy } of writes) proxy.writing = [];
    try {
      const stored = await this.#options.store.upsertMany(writes.map(({ proxy, spec, labels }) => ({ type: this.#type, ...proxy.key, labels, spec })));
      writes.forEach(({ proxy, spec, labels, written }, index) => {
        proxy.stored = { version: stored[index]!.version, spec, labels };
        this.#written(proxy, written);
      });
    } finally {
      for (const { proxy } of writes) {
        const seen = proxy.writing ?? [];
        proxy.writing = undefined;
        for (const event of seen) this.#storeChanged(proxy, event);
      }
    }
  }

  /** Reads the stored insights of these proxies: one list per mesh when there are many, else one read each. */
  async #readUnknown(proxies: ProxyInsight[]): Promise<void> {
    if (proxies.length === 0) return;
    const found = new Map<string, StoredResource>();
    if (proxies.length >= LIST_READ_THRESHOLD) {
      for (const mesh of new Set(proxies.map((proxy) => proxy.key.mesh))) {
        for (const item of (await this.#options.store.list({ type: this.#type, mesh })).items) found.set(keyText(item), item);
      }
    } else {
      for (const item of await Promise.all(proxies.map((proxy) => this.#options.store.get({ type: this.#type, ...proxy.key })))) {
        if (item) found.set(keyText(item), item);
      }
    }
    for (const proxy of proxies) {
      const current = found.get(keyText(proxy.key));
      const parsed = dataplaneInsightBody.safeParse(current?.spec);
      proxy.stored = { version: current?.version ?? 0, spec: parsed.success ? parsed.data : {}, labels: current?.labels ?? {} };
    }
  }

  /** Subscriptions written in their latest state: the closed ones leave, and so does a proxy with none left. */
  #written(proxy: ProxyInsight, written: { id: string; open: boolean }[]): void {
    for (const { id, open } of written) if (!open) proxy.subscriptions.delete(id);
    if (proxy.subscriptions.size === 0 && this.#proxies.get(proxy.nodeId) === proxy) {
      this.#proxies.delete(proxy.nodeId);
      this.#byKey.delete(keyText(proxy.key));
    }
  }

  /**
   * Another CP instance sharing the store wrote (or someone deleted) an insight we hold: read it again before our
   * next write and write ours again if that write lost them (a write between our read and our batch overwrites it;
   * the instance that wrote it hears of ours the same way and merges its subscriptions back).
   */
  #storeChanged(proxy: ProxyInsight, event: ChangeEvent): void {
    if (proxy.writing) {
      proxy.writing.push(event);
      return;
    }
    if (event.op !== "delete" && proxy.stored && event.version <= proxy.stored.version) return; // ours, or older
    proxy.stored = undefined;
    proxy.reread = true;
    this.#markDirty(proxy.nodeId);
  }
}
