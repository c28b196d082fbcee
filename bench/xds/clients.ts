// Child process of the xDS bench: many Envoy-like ADS streams over one gRPC connection. Messages from the parent:
// {connect: {address, token, nodeIds}} answered {connected: ms} once every proxy accepted its routes;
// {watch: seconds} answered {allAcceptedAt: epoch ms} once every proxy accepted routes with that stream idle timeout.
import { createAdsClient, typeUrls } from "@zonemesh/xds";
import { EnvoyLikeProxy } from "@zonemesh/cp/xds";

type Message = { connect: { address: string; token: string; nodeIds: string[] } } | { watch: number };

const proxies: EnvoyLikeProxy[] = [];

/** Every route of the proxy has this stream idle timeout (what the bench's mesh-wide MeshTimeout sets). */
function idleTimeoutIs(proxy: EnvoyLikeProxy, seconds: number): boolean {
  const timeouts = JSON.stringify([...proxy.resources(typeUrls.route).values()]).match(/"idle_timeout":\{"seconds":"?\d+/g) ?? [];
  return timeouts.length > 0 && timeouts.every((timeout) => timeout.endsWith(`:${seconds}`) || timeout.endsWith(`"${seconds}`));
}

async function all(among: EnvoyLikeProxy[], check: (proxy: EnvoyLikeProxy) => boolean): Promise<void> {
  let pending = among;
  while (pending.length > 0) {
    pending = pending.filter((proxy) => !check(proxy));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

process.on("message", async (message: Message) => {
  if ("connect" in message) {
    const { address, token, nodeIds } = message.connect;
    const started = Date.now();
    const client = createAdsClient(address);
    // In batches, as a rollout would: thousands of streams opened at once on one connection can wait past the
    // server's first-request timeout, and these clients do not reconnect.
    for (let i = 0; i < nodeIds.length; i += 500) {
      const batch = nodeIds.slice(i, i + 500).map((nodeId) => new EnvoyLikeProxy({ client, nodeId, token }));
      proxies.push(...batch);
      await all(batch, (proxy) => proxy.resources(typeUrls.route).size > 0);
    }
    process.send!({ connected: Date.now() - started });
  } else {
    const seconds = message.watch;
    await all(proxies, (proxy) => idleTimeoutIs(proxy, seconds));
    process.send!({ allAcceptedAt: Date.now() });
  }
});
process.on("disconnect", () => process.exit(0));
