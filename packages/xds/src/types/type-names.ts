import type { Typed } from "./core";

/** Full message names of the filters and extensions zonemesh puts inside an Any. */
export const typeNames = {
  httpConnectionManager: "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  router: "envoy.extensions.filters.http.router.v3.Router",
  tcpProxy: "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
  networkRbac: "envoy.extensions.filters.network.rbac.v3.RBAC",
  httpRbac: "envoy.extensions.filters.http.rbac.v3.RBAC",
  tlsInspector: "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
  upstreamTlsContext: "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
  downstreamTlsContext: "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
  httpFault: "envoy.extensions.filters.http.fault.v3.HTTPFault",
  httpLocalRateLimit: "envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
  networkLocalRateLimit: "envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit",
  fileAccessLog: "envoy.extensions.access_loggers.file.v3.FileAccessLog",
  httpProtocolOptions: "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
  previousHostsPredicate: "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
  omitHostMetadata: "envoy.extensions.retry.host.omit_host_metadata.v3.OmitHostMetadataConfig",
  previousPriorities: "envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig",
} as const;

/** Writes a message as the plain form of an Any: {"@type": "type.googleapis.com/<name>", ...fields}. */
export function typed<T extends object>(typeName: string, message: T): Typed<T> {
  return { "@type": `type.googleapis.com/${typeName}`, ...message };
}
