// The zone side of xDS: an ADS server for the zone's data plane proxies (fed by the reconciler) and zone ingresses
// (fed by IngressProxies), recording each one's DataplaneInsight or ZoneIngressInsight and exposing what it serves
// (introspection routes, Prometheus metrics).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { PolicyRef } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import { SnapshotCache, createAdsServer, type StreamInfo } from "@zonemesh/xds";
import type { TokenService } from "../../auth/tokens";
import type { CpConfig } from "../../config";
import type { CpComponent } from "../../control-plane";
import { DataplaneInsights } from "./dataplane-insights";
import { IngressProxies } from "./ingress-proxies";
import type { PolicyWarning } from "./policy-warnings";
import { proxyAuthenticator } from "./proxy-authenticator";
import { parseNodeIdentity, type NodeIdentity } from "./proxy-id";
import { Reconciler } from "./reconciler";
import { XdsMetrics } from "./xds-metrics";
import { servedConfig, servedPolicyWarnings, xdsRoutes, type ServedProxy } from "./xds-routes";
import { adminPortOf } from "./proxy-admin-port";

/**
 * Proxies run on other hosts, so (like Kuma) the xDS server listens on every interface: every stream must present
 * a dataplane or zone ingress token, whatever its origin.
 */
export const XDS_LISTEN_HOST = "0.0.0.0";

export interface XdsComponentOptions {
  store: ResourceStore;
  config: Pick<CpConfig, "xdsPort" | "zone">;
  tokens: TokenService;
  /** Store changes within this window are computed in one pass; default 20 ms. */
  debounceMs?: number;
  /** Longest wait before a stream's opening or closing is written to its DataplaneInsight; default 1 s. */
  insightFlushIntervalMs?: number;
  /** Longest wait before changed response and ACK counters alone are written; default 10 s (Kuma's flush interval). */
  insightCounterFlushIntervalMs?: number;
  /** How often proxy certificates are checked for rotation; default 30 s. */
  certificateCheckIntervalMs?: number;
}

export interface XdsComponent extends CpComponent {
  port: number;
  /** What a connected proxy is served (its `/xds` route's body); a 404 problem when it is not connected. */
  servedConfig(proxy: ServedProxy): object;
  /** Why a policy could not be translated for this zone's connected proxies (its `_warnings` route's body); a 404 problem for an unknown policy. */
  policyWarnings(policy: PolicyRef): Promise<{ policy: PolicyRef; warnings: PolicyWarning[] }>;
  /** For leak checks: state held for reconciler. */
  stats(): { streams: number; nodes: number; connectedProxies: number; snapshots: number; watchers: number; certificates: number; pendingInsights: number };
}

/** gRPC clients with xDS support (grpc-js-xds sends "gRPC Node Pure JS", grpc-go "gRPC Go"...) have no Envoy: they get api_listeners. */
/** The server counts as busy (pushing) this long after its last response sent or ACK received. */
const BUSY_AFTER_EXCHANGE_MS = 250;

const isProxyless = (userAgent: string | undefined) => /^gRPC /.test(userAgent ?? "");

export async function startXdsComponent(options: XdsComponentOptions): Promise<XdsComponent> {
  const { store, config, tokens } = options;
  const controlPlaneInstanceId = `${hostname()}-${randomBytes(2).toString("hex")}`;
  const cache = new SnapshotCache();
  // The gauges read these when scraped, long after both exist.
  const metrics: XdsMetrics = new XdsMetrics(() => reconciler.connectedCount() + ingresses.connectedCount(), () => ads.stats().streams);
  const reconciler: Reconciler = new Reconciler({
    store,
    cache,
    metrics,
    localZone: config.zone ?? "default",
    debounceMs: options.debounceMs ?? 20,
    certificateCheckIntervalMs: options.certificateCheckIntervalMs ?? 30_000,
  });
  const ingresses: IngressProxies = new IngressProxies({ store, cache, metrics, localZone: config.zone ?? "default", debounceMs: options.debounceMs ?? 20 });
  // Insight counter flushes wait for a moment without responses or ACKs (a push in progress).
  let lastExchange = 0;
  const busy = () => performance.now() - lastExchange < BUSY_AFTER_EXCHANGE_MS;
  const insights = new DataplaneInsights({
    store,
    controlPlaneInstanceId,
    flushIntervalMs: options.insightFlushIntervalMs ?? 1000,
    counterFlushIntervalMs: options.insightCounterFlushIntervalMs ?? 10_000,
    busy,
    certificate: (nodeId) => reconciler.certificates.get(nodeId),
  });
  const ingressInsights = new DataplaneInsights({
    store,
    insightType: "ZoneIngressInsight",
    controlPlaneInstanceId,
    flushIntervalMs: options.insightFlushIntervalMs ?? 1000,
    counterFlushIntervalMs: options.insightCounterFlushIntervalMs ?? 10_000,
    busy,
    certificate: () => undefined,
  });
  const identityOf = (stream: StreamInfo): NodeIdentity => parseNodeIdentity(stream.node.id)!; // authenticate refused any other id
  const insightsOf = (stream: StreamInfo) => (identityOf(stream).kind === "ingress" ? ingressInsights : insights);

  const ads = createAdsServer({
    cache,
    callbacks: {
      authenticate: proxyAuthenticator(tokens, store, config.zone ?? "default"),
      onStreamOpen(stream) {
        const identity = identityOf(stream);
        if (identity.kind === "ingress") {
          ingresses.connected(identity.name);
          ingressInsights.opened(stream, { mesh: "", name: identity.name });
          return;
        }
        const key = { mesh: identity.mesh, name: identity.name };
        reconciler.connected(stream.node.id, key, { proxyless: isProxyless(stream.node.userAgent), adminPort: adminPortOf(stream.node) });
        insights.opened(stream, key);
      },
      onStreamClose(stream) {
        const identity = identityOf(stream);
        if (identity.kind === "ingress") ingresses.disconnected(identity.name);
        else reconciler.disconnected(stream.node.id);
        insightsOf(stream).closed(stream);
      },
      onResponse(stream, response) {
        lastExchange = performance.now();
        metrics.pushed(response.typeUrl);
        insightsOf(stream).sent(stream, response.typeUrl);
      },
      onAck(stream, ack) {
        lastExchange = performance.now();
        insightsOf(stream).acknowledged(stream, ack.typeUrl);
      },
      onNack(stream, nack) {
        console.error(`xds: ${stream.node.id} rejected ${nack.typeUrl} version ${nack.version}: ${nack.error}`);
        metrics.nacked(nack.typeUrl);
        insightsOf(stream).rejected(stream, nack.typeUrl);
      },
    },
  });

  let port: number;
  try {
    port = await ads.listen(`${XDS_LISTEN_HOST}:${config.xdsPort}`);
  } catch (error) {
    await Promise.all([reconciler.close(), ingresses.close()]);
    throw error;
  }
  const routeDeps = { store, ads, cache, reconciler, ingresses, metrics, controlPlaneInstanceId };
  return {
    port,
    routes: xdsRoutes(routeDeps),
    servedConfig: (proxy) => servedConfig(routeDeps, proxy),
    policyWarnings: (policy) => servedPolicyWarnings(routeDeps, policy),
    stats: () => ({
      ...ads.stats(),
      connectedProxies: reconciler.connectedCount() + ingresses.connectedCount(),
      snapshots: cache.nodeIds().length,
      watchers: cache.watcherCount(),
      certificates: reconciler.certificates.size(),
      pendingInsights: insights.pendingCount() + ingressInsights.pendingCount(),
    }),
    async close() {
      await ads.close();
      await reconciler.close();
      await ingresses.close();
      await Promise.all([insights.close(), ingressInsights.close()]);
    },
  };
}
