// Keeps each zone's Zone and ZoneInsight on the global: one KDS subscription per connection (connect and
// disconnect times, this global's instance id, per-type sync stats), refreshed while the zone stays connected.
import { randomUUID } from "node:crypto";
import type { ZoneConnection, ZoneStats } from "@zonemesh/kds";
import { zoneInsightBody, type ZoneInsightBody } from "@zonemesh/resources";
import { AlreadyExistsError, ConflictError, type ResourceStore } from "@zonemesh/store";

type Subscription = NonNullable<ZoneInsightBody["subscriptions"]>[number];

/** Kuma keeps a bounded subscription history per insight. */
const MAX_SUBSCRIPTIONS = 10;
/** An open subscription not refreshed for this many flush intervals belongs to a global instance that died. */
const STALE_AFTER_FLUSHES = 3;

export interface ZoneInsightOptions {
  store: ResourceStore;
  globalInstanceId: string;
  zoneStats(zone: string): ZoneStats | undefined;
  flushIntervalMs: number;
}

export interface ZoneInsights {
  connected(connection: ZoneConnection): void;
  disconnected(connection: ZoneConnection): void;
  /** Resolves once the zone's queued insight writes are done. */
  settled(zone: string): Promise<void>;
  /** Stops refreshing and waits for pending writes. */
  close(): Promise<void>;
}

interface OpenSubscription {
  id: string;
  connection: ZoneConnection;
}

export function recordZoneInsights(options: ZoneInsightOptions): ZoneInsights {
  const { store, globalInstanceId } = options;
  const open = new Map<string, OpenSubscription>();
  const writes = new Map<string, Promise<void>>();

  /** Writes of one zone run one after another, each on the insight as the previous one left it. */
  function enqueue(zone: string, write: () => Promise<void>): Promise<void> {
    const next = (writes.get(zone) ?? Promise.resolve()).then(write).catch((error: Error) => {
      console.error(`kds: could not update the ZoneInsight of zone "${zone}": ${error.message}`);
    });
    writes.set(zone, next);
    return next;
  }

  function status(zone: string): Subscription["status"] {
    const types = options.zoneStats(zone)?.streams.globalToZone?.types ?? {};
    const stat: NonNullable<Subscription["status"]["stat"]> = {};
    const total = { responsesSent: 0, responsesAcknowledged: 0, responsesRejected: 0 };
    for (const [type, t] of Object.entries(types)) {
      stat[type] = { responsesSent: t.responses, responsesAcknowledged: t.acked, responsesRejected: t.nacked };
      total.responsesSent += t.responses;
      total.responsesAcknowledged += t.acked;
      total.responsesRejected += t.nacked;
    }
    return { lastUpdateTime: new Date().toISOString(), total, stat };
  }

  function subscriptionsOf(spec: unknown): Subscription[] {
    const parsed = zoneInsightBody.safeParse(spec);
    return parsed.success ? (parsed.data.subscriptions ?? []) : [];
  }

  /**
   * Read-modify-write with the store's optimistic concurrency: other global instances may write the same insight.
   * Only a connect creates an insight; other updates of a deleted one (its Zone was deleted) are dropped.
   */
  async function updateInsight(zone: string, change: (subscriptions: Subscription[]) => Subscription[], create = false): Promise<void> {
    const key = { type: "ZoneInsight", mesh: "", name: zone };
    for (let attempt = 0; ; attempt++) {
      const current = await store.get(key);
      if (!current && !create) return;
      const subscriptions = change(subscriptionsOf(current?.spec)).slice(-MAX_SUBSCRIPTIONS);
      const spec = { ...(current?.spec as object | undefined), subscriptions };
      try {
        if (current) await store.update({ ...key, labels: current.labels, spec, version: current.version });
        else await store.create({ ...key, spec });
        return;
      } catch (error) {
        if (attempt >= 4 || !(error instanceof ConflictError || error instanceof AlreadyExistsError)) throw error;
      }
    }
  }

  async function ensureZone(zone: string): Promise<void> {
    try {
      await store.create({ type: "Zone", mesh: "", name: zone, spec: { enabled: true } });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }

  function connected(connection: ZoneConnection): void {
    const subscription: OpenSubscription = { id: randomUUID(), connection };
    open.set(connection.zone, subscription);
    const connectTime = connection.connectedAt.toISOString();
    void enqueue(connection.zone, async () => {
      await ensureZone(connection.zone);
      await updateInsight(connection.zone, (subscriptions) => [
        // A zone talks to one global instance at a time: older open subscriptions ended unseen (e.g. a global crashed).
        ...subscriptions.map((s) => (s.disconnectTime ? s : { ...s, disconnectTime: connectTime })),
        {
          id: subscription.id,
          globalInstanceId,
          zoneInstanceId: connection.instanceId,
          connectTime,
          authenticationType: "zoneToken",
          version: { kumaCp: { version: connection.version } },
          status: status(connection.zone),
        },
      ], true);
    });
  }

  function disconnected(connection: ZoneConnection): void {
    const subscription = open.get(connection.zone);
    if (!subscription || subscription.connection.instanceId !== connection.instanceId) return;
    open.delete(connection.zone);
    const disconnectTime = new Date().toISOString();
    const finalStatus = status(connection.zone);
    void enqueue(connection.zone, () =>
      updateInsight(connection.zone, (subscriptions) =>
        subscriptions.map((s) => (s.id === subscription.id ? { ...s, disconnectTime, status: finalStatus } : s)),
      ),
    );
  }

  async function flush(): Promise<void> {
    for (const [zone, subscription] of open) {
      const current = status(zone);
      void enqueue(zone, () =>
        updateInsight(zone, (subscriptions) => subscriptions.map((s) => (s.id === subscription.id ? { ...s, status: current } : s))),
      );
    }
    const staleBefore = Date.now() - STALE_AFTER_FLUSHES * options.flushIntervalMs;
    const insights = await store.list({ type: "ZoneInsight" });
    for (const insight of insights.items) {
      if (open.has(insight.name)) continue;
      const newest = subscriptionsOf(insight.spec).at(-1);
      const lastSeen = newest && Date.parse(newest.status.lastUpdateTime ?? newest.connectTime);
      if (!newest || newest.disconnectTime || !lastSeen || lastSeen > staleBefore) continue;
      void enqueue(insight.name, () =>
        updateInsight(insight.name, (subscriptions) =>
          subscriptions.map((s) => (s.id === newest.id && !s.disconnectTime ? { ...s, disconnectTime: new Date().toISOString() } : s)),
        ),
      );
    }
  }

  const timer = setInterval(() => {
    flush().catch((error: Error) => console.error(`kds: ZoneInsight refresh failed: ${error.message}`));
  }, options.flushIntervalMs);
  timer.unref();

  return {
    connected,
    disconnected,
    settled: async (zone) => writes.get(zone),
    async close() {
      clearInterval(timer);
      await Promise.all(writes.values());
    },
  };
}
