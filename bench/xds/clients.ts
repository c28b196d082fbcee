// Child process of the xDS bench: many Envoy-like ADS streams, spread over several gRPC connections (every Envoy has
// its own). Messages from the parent:
// {connect: {address, token, nodeIds, channels}} answered {connected: ms} once every proxy accepted its routes;
// {watch: {seconds, nodeIds?}} answered {allAcceptedAt: epoch ms, responded} once every proxy (or those named) accepted
// routes with that stream idle timeout; `responded` counts the proxies that received any response meanwhile.
import { createAdsClient, typeUrls, type AdsClient } from "@zonemesh/xds";
import { EnvoyLikeProxy } from "@zonemesh/cp/xds";

type Message = { connect: { address: string; token: string; nodeIds: string[]; channels: number } } | { watch: { seconds: number; nodeIds?: string[] } };

const proxies: EnvoyLikeProxy[] = [];
const byNodeId = new Map<string, EnvoyLikeProxy>();
/** Checked when a proxy accepts routes, never by polling: 10,000 proxies polled would keep this process busy. */
let onRoutesAccepted: (proxy: EnvoyLikeProxy) => void = () => {};

type Route = { route?: { idle_timeout?: { seconds?: string | number } } };

/**
 * Every route of the proxy has this stream idle timeout (what the bench's mesh-wide MeshTimeout sets). Read from the
 * decoded routes, not by stringifying them: that took this process as long as the server took to push.
 */
function idleTimeoutIs(proxy: EnvoyLikeProxy, seconds: number): boolean {
  let routes = 0;
  for (const config of proxy.resources(typeUrls.route).values()) {
    for (const host of (config.virtual_hosts ?? []) as { routes?: Route[] }[]) {
      for (const route of host.routes ?? []) {
        routes++;
        if (Number(route.route?.idle_timeout?.seconds) !== seconds) return false;
      }
    }
  }
  return routes > 0;
}

/** Resolves once `check` holds for every proxy of `among`, checked now and after each routes response. */
function all(among: EnvoyLikeProxy[], check: (proxy: EnvoyLikeProxy) => boolean): Promise<void> {
  const pending = new Set(among.filter((proxy) => !check(proxy)));
  return new Promise((resolve) => {
    if (pending.size === 0) return resolve();
    onRoutesAccepted = (proxy) => {
      if (!pending.has(proxy) || !check(proxy)) return;
      pending.delete(proxy);
      if (pending.size === 0) resolve();
    };
  });
}

process.on("message", async (message: Message) => {
  if ("connect" in message) {
    const { address, token, nodeIds, channels } = message.connect;
    const started = Date.now();
    // A distinct option value per client: grpc-js would otherwise share one connection (subchannel) between them.
    const clients: AdsClient[] = Array.from({ length: channels }, (_, i) => createAdsClient(address, undefined, { "zonemesh.bench.channel": i }));
    // In batches, as a rollout would: thousands of streams opened at once can wait past the server's first-request
    // timeout, and these clients do not reconnect.
    for (let i = 0; i < nodeIds.length; i += 500) {
      const batch = nodeIds.slice(i, i + 500).map((nodeId, j) => {
        const proxy: EnvoyLikeProxy = new EnvoyLikeProxy({
          client: clients[(i + j) % channels]!,
          nodeId,
          token,
          onAccepted: (typeUrl) => typeUrl === typeUrls.route && onRoutesAccepted(proxy),
        });
        return proxy;
      });
      proxies.push(...batch);
      batch.forEach((proxy, j) => byNodeId.set(nodeIds[i + j]!, proxy));
      await all(batch, (proxy) => proxy.resources(typeUrls.route).size > 0);
    }
    process.send!({ connected: Date.now() - started });
  } else {
    const { seconds, nodeIds } = message.watch;
    const before = proxies.map((proxy) => proxy.responses);
    await all(nodeIds ? nodeIds.map((nodeId) => byNodeId.get(nodeId)!) : proxies, (proxy) => idleTimeoutIs(proxy, seconds));
    const allAcceptedAt = Date.now();
    process.send!({ allAcceptedAt, responded: proxies.filter((proxy, i) => proxy.responses !== before[i]).length });
  }
});
process.on("disconnect", () => process.exit(0));
