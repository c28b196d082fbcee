import type { DataplaneBody, ExternalServiceBody, MeshBody, PolicyRef, PolicyResource, Resource, ZoneIngressBody } from "@zonemesh/resources";
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from "@zonemesh/xds";

export type DataplaneResource = Resource<DataplaneBody>;
export type ZoneIngressResource = Resource<ZoneIngressBody>;
export type ExternalServiceResource = Resource<ExternalServiceBody>;

/**
 * An ExternalService with the PEM text of its TLS DataSources (read by the caller: Secrets and files are not inputs),
 * or why they could not be read (the service is then left out, with a warning).
 */
export interface ExternalServiceInput {
  resource: ExternalServiceResource;
  tls?: { caPem?: string; certPem?: string; keyPem?: string };
  problem?: string;
}

export interface ProxyCertificates {
  /** The proxy's own certificate (SPIFFE URI SANs) and key, PEM. */
  identity: { certPem: string; keyPem: string };
  /** The mesh CA certificate the proxy trusts, PEM. */
  meshCaPem: string;
}

export interface GenerateInput {
  /** The proxy to generate for. */
  dataplane: DataplaneResource;
  mesh: MeshBody & { name: string };
  /** Every dataplane of the mesh in the local zone, the proxy itself included; labels carry `kuma.io/zone`. */
  dataplanes: DataplaneResource[];
  /** Other zones' ingresses: their `availableServices` make remote services reachable. */
  zoneIngresses: ZoneIngressResource[];
  /** The mesh's ExternalServices: services outside the mesh its proxies reach directly (no zone egress). */
  externalServices?: ExternalServiceInput[];
  /** Every targetRef policy of the mesh. */
  policies: PolicyResource[];
  /** Service VIPs (see allocateVips): outbound listeners for transparent proxying listen on them. */
  vips: ReadonlyMap<string, string>;
  localZone: string;
  /** Needed when the mesh enables mTLS: served to the proxy as SDS secrets. */
  certificates?: ProxyCertificates;
  /** The proxy is a proxyless gRPC client (e.g. grpc-js-xds dialing `xds:///<service>`): api_listeners instead of sockets. */
  proxyless?: boolean;
  /** The proxy's admin endpoint on 127.0.0.1 (node metadata `dataplane.admin.port`): the metrics listener's upstream. */
  adminPort?: number;
}

/** A policy (or part of one) that could not be turned into Envoy config; the rest of the config is still generated. */
export interface GenerationWarning {
  policy: PolicyRef;
  reason: string;
}

/** Envoy v3 resources as plain objects (snake_case, as in the .proto), ready for packAny. */
export interface ProxyResources {
  listeners: Listener[];
  clusters: Cluster[];
  endpoints: ClusterLoadAssignment[];
  routes: RouteConfiguration[];
  secrets: Secret[];
  warnings: GenerationWarning[];
}

/** Records a warning against each policy that contributed to a conf that could not be translated. */
export type Warn = (origins: PolicyRef[], reason: string) => void;
