import { isIP } from "node:net";
import { typeNames, typed, type Cluster, type UpstreamTlsContext } from "@zonemesh/xds";
import type { ExternalTarget } from "./catalog";
import { definedFields, lbMetadata, socketAddress } from "./envoy-values";

/**
 * What makes an outbound cluster one of an ExternalService, as Kuma's provided-endpoint cluster without a zone egress:
 * its address inline (resolved by the proxy when it is a hostname, IPv4 only), and TLS originated by the proxy when the
 * service asks for it, verified against the service's CA (hostname as SAN) when it gives one.
 */
export function externalClusterFields(clusterName: string, target: ExternalTarget): Pick<Cluster, "type" | "dns_lookup_family" | "load_assignment" | "transport_socket"> {
  const ip = isIP(target.host) !== 0;
  return {
    type: ip ? "STATIC" : "STRICT_DNS",
    ...(ip ? {} : { dns_lookup_family: "V4_ONLY" as const }),
    load_assignment: {
      cluster_name: clusterName,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(target.host, target.port) }, metadata: lbMetadata(target.tags) }] }],
    },
    ...(target.tls ? { transport_socket: { name: "envoy.transport_sockets.tls", typed_config: typed(typeNames.upstreamTlsContext, outsideMeshTls(target.host, target.tls)) } } : {}),
  };
}

function outsideMeshTls(host: string, tls: NonNullable<ExternalTarget["tls"]>): UpstreamTlsContext {
  const hostname = tls.serverName ?? host;
  const common = definedFields<NonNullable<UpstreamTlsContext["common_tls_context"]>>({
    tls_certificates: tls.certPem && tls.keyPem ? [{ certificate_chain: { inline_string: tls.certPem }, private_key: { inline_string: tls.keyPem } }] : undefined,
    validation_context: tls.caPem ? { trusted_ca: { inline_string: tls.caPem }, match_subject_alt_names: [{ exact: hostname }] } : undefined,
  });
  return definedFields<UpstreamTlsContext>({
    sni: tls.serverName ?? (isIP(host) === 0 ? host : undefined),
    allow_renegotiation: tls.allowRenegotiation || undefined,
    common_tls_context: Object.keys(common).length > 0 ? common : undefined,
  });
}
