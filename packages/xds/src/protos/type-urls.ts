const typeUrlPrefix = "type.googleapis.com/";

/** The xDS resource types zonemesh serves. */
export const typeUrls = {
  listener: "type.googleapis.com/envoy.config.listener.v3.Listener",
  cluster: "type.googleapis.com/envoy.config.cluster.v3.Cluster",
  endpoint: "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
  route: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
  secret: "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
} as const;

export type TypeUrl = (typeof typeUrls)[keyof typeof typeUrls];

export const allTypeUrls: readonly TypeUrl[] = Object.values(typeUrls);

export function isTypeUrl(value: string): value is TypeUrl {
  return (allTypeUrls as readonly string[]).includes(value);
}

/** Accepts "envoy.config.listener.v3.Listener" or its type URL and returns the type URL. */
export function toTypeUrl(typeNameOrUrl: string): string {
  return typeNameOrUrl.includes("/") ? typeNameOrUrl : typeUrlPrefix + typeNameOrUrl;
}

export function typeNameOf(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
}
