// Kuma's online rule: a proxy or zone is online while its newest subscription (xDS or KDS stream) has not disconnected.

interface Subscription {
  connectTime?: string;
  disconnectTime?: string;
}

export function isOnline(insightBody: unknown): boolean {
  const subscriptions = (insightBody as { subscriptions?: Subscription[] } | null)?.subscriptions ?? [];
  const newest = subscriptions[subscriptions.length - 1];
  return newest !== undefined && Boolean(newest.connectTime) && !newest.disconnectTime;
}
