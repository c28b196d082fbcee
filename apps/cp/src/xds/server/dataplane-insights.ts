// Keeps each connected proxy's DataplaneInsight (the API's online/offline status and the GUI read it): one xDS
// subscription per stream with connect/disconnect times, this CP's instance id and per-type response counters, plus
// the proxy's certificate. Writes are throttled: changes of a proxy within one flush interval make one write.
import { randomUUID } from "node:crypto";
import { dataplaneInsightBody, type DataplaneInsightBody } from "@zonemesh/resources";
import { AlreadyExistsError, ConflictError, type ResourceStore } from "@zonemesh/store";
import type { StreamInfo, TypeUrl } from "@zonemesh/xds";
import type { IssuedCertificate } from "./proxy-certificates";
import type { ProxyKey } from "./proxy-id";
import { discoveryServiceOf } from "./xds-type-names";

type Subscription = NonNullable<DataplaneInsightBody["subscriptions"]>[number];
type Stats = { responsesSent: number; responsesAcknowledged: number; responsesRejected: number };

/** Kuma keeps a bounded subscription history per insight. */
const MAX_SUBSCRIPTIONS = 5;

export interface DataplaneInsightOptions {
  store: ResourceStore;
  controlPlaneInstanceId: string;
  flushIntervalMs: number;
  certificate(nodeId: string): IssuedCertificate | undefined;
}

interface ProxyInsight {
  key: ProxyKey;
  /** Subscriptions of this CP not written yet in their latest state; closed ones leave once written. */
  subscriptions: Map<string, { subscription: Subscription; open: boolean }>;
}

const newStats = (): Stats => ({ responsesSent: 0, responsesAcknowledged: 0, responsesRejected: 0 });

export class DataplaneInsights {
  readonly #options: DataplaneInsightOptions;
  readonly #proxies = new Map<string, ProxyInsight>();
  readonly #streams = new Map<number, { nodeId: string; subscription: Subscription }>();
  readonly #dirty = new Set<string>();
  #writing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DataplaneInsightOptions) {
    this.#options = options;
  }

  opened(stream: StreamInfo, key: ProxyKey): void {
    const nodeId = stream.node.id;
    const subscription: Subscription = {
      id: randomUUID(),
      connectTime: new Date().toISOString(),
      controlPlaneInstanceId: this.#options.controlPlaneInstanceId,
      ...(stream.node.userAgent ? { version: { envoy: { version: stream.node.userAgent } } } : {}),
      status: { lastUpdateTime: new Date().toISOString(), total: newStats(), lds: newStats(), cds: newStats(), eds: newStats(), rds: newStats() },
    };
    let proxy = this.#proxies.get(nodeId);
    if (!proxy) this.#proxies.set(nodeId, (proxy = { key, subscriptions: new Map() }));
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
    clearTimeout(this.#timer);
    this.#timer = undefined;
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
    this.#markDirty(live.nodeId);
  }

  #markDirty(nodeId: string): void {
    this.#dirty.add(nodeId);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#options.flushIntervalMs);
  }

  /**
   * Writes the dirty proxies one after another: thousands of proxies connecting at once must not become thousands of
   * concurrent store calls. Changes arriving meanwhile wait for the next flush.
   */
  #flush(): void {
    const nodeIds = [...this.#dirty];
    this.#dirty.clear();
    this.#writing = this.#writing.then(async () => {
      for (const nodeId of nodeIds) {
        const proxy = this.#proxies.get(nodeId);
        if (!proxy) continue;
        // Copies: counters keep moving while the write is in flight.
        const written = [...proxy.subscriptions.values()].map(({ subscription, open }) => ({ subscription: structuredClone(subscription), open }));
        try {
          await this.#write(nodeId, proxy.key, written.map((w) => w.subscription));
          for (const { subscription, open } of written) if (!open) proxy.subscriptions.delete(subscription.id);
          if (proxy.subscriptions.size === 0 && this.#proxies.get(nodeId) === proxy) this.#proxies.delete(nodeId);
        } catch (error) {
          console.error(`xds: could not update the DataplaneInsight of ${nodeId}: ${(error as Error).message}`);
        }
      }
    });
  }

  /** Read-modify-write with the store's optimistic concurrency: other CP instances may write the same insight. */
  async #write(nodeId: string, proxy: ProxyKey, ours: Subscription[]): Promise<void> {
    const key = { type: "DataplaneInsight", ...proxy };
    const certificate = this.#options.certificate(nodeId);
    for (let attempt = 0; ; attempt++) {
      const current = await this.#options.store.get(key);
      const parsed = dataplaneInsightBody.safeParse(current?.spec);
      const previous = parsed.success ? parsed.data : {};
      const ids = new Set(ours.map((s) => s.id));
      const subscriptions = [...(previous.subscriptions ?? []).filter((s) => !ids.has(s.id)), ...ours].slice(-MAX_SUBSCRIPTIONS);
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
      try {
        if (current) await this.#options.store.update({ ...key, labels: current.labels, spec, version: current.version });
        else await this.#options.store.create({ ...key, spec });
        return;
      } catch (error) {
        if (attempt >= 4 || !(error instanceof ConflictError || error instanceof AlreadyExistsError)) throw error;
      }
    }
  }
}
