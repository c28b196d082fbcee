// What a proxy is being served, in the shape of Envoy's /config_dump (envoy.admin.v3.*ConfigDump), so tools that
// read Envoy's dump read this too; private keys are redacted as Envoy does.
import { typeUrls, type CachedResource, type NodeStatus, type Snapshot, type TypeUrl } from "@zonemesh/xds";
import { discoveryServiceOf, type DiscoveryService } from "./xds-type-names";

const REDACTED = "[redacted]";

const typed = (typeUrl: TypeUrl, resource: object) => ({ "@type": typeUrl, ...resource });

function redactSecret(resource: object): object {
  const secret = resource as { tls_certificate?: { private_key?: unknown } };
  if (!secret.tls_certificate?.private_key) return resource;
  return { ...secret, tls_certificate: { ...secret.tls_certificate, private_key: { inline_string: REDACTED } } };
}

const sections: { typeUrl: TypeUrl; dump: string; entries: (r: CachedResource) => object; field: string }[] = [
  { typeUrl: typeUrls.cluster, dump: "ClustersConfigDump", field: "dynamic_active_clusters", entries: (r) => ({ version_info: r.version, cluster: typed(typeUrls.cluster, r.resource) }) },
  { typeUrl: typeUrls.endpoint, dump: "EndpointsConfigDump", field: "dynamic_endpoint_configs", entries: (r) => ({ version_info: r.version, endpoint_config: typed(typeUrls.endpoint, r.resource) }) },
  {
    typeUrl: typeUrls.listener,
    dump: "ListenersConfigDump",
    field: "dynamic_listeners",
    entries: (r) => ({ name: r.name, active_state: { version_info: r.version, listener: typed(typeUrls.listener, r.resource) } }),
  },
  { typeUrl: typeUrls.route, dump: "RoutesConfigDump", field: "dynamic_route_configs", entries: (r) => ({ version_info: r.version, route_config: typed(typeUrls.route, r.resource) }) },
  {
    typeUrl: typeUrls.secret,
    dump: "SecretsConfigDump",
    field: "dynamic_active_secrets",
    entries: (r) => ({ name: r.name, version_info: r.version, secret: typed(typeUrls.secret, redactSecret(r.resource)) }),
  },
];

export function configDump(snapshot: Snapshot | undefined): { configs: object[] } {
  return {
    configs: sections.map(({ typeUrl, dump, field, entries }) => {
      const type = snapshot?.types.get(typeUrl);
      return {
        "@type": `type.googleapis.com/envoy.admin.v3.${dump}`,
        ...(type ? { version_info: type.version } : {}),
        [field]: [...(type?.resources.values() ?? [])].map(entries),
      };
    }),
  };
}

export interface TypeServingStatus {
  typeUrl: TypeUrl;
  /** The version of the whole type in the snapshot; a stream sends the part the proxy subscribed to. */
  snapshotVersion?: string;
  lastSentVersion?: string;
  lastSentNonce?: string;
  lastAckedVersion?: string;
  /** The proxy acknowledged the last response of this type. */
  acknowledged: boolean;
  lastNack?: { version: string; nonce: string; error: string; time: string };
}

/** ACK/NACK state per discovery service, from the ADS server's bookkeeping. */
export function servingStatus(snapshot: Snapshot | undefined, status: NodeStatus): Partial<Record<DiscoveryService, TypeServingStatus>> {
  const result: Partial<Record<DiscoveryService, TypeServingStatus>> = {};
  for (const typeUrl of Object.values(typeUrls)) {
    const type = status.types[typeUrl];
    const snapshotVersion = snapshot?.types.get(typeUrl)?.version;
    if (!type && !snapshotVersion) continue;
    result[discoveryServiceOf[typeUrl]] = {
      typeUrl,
      ...(snapshotVersion ? { snapshotVersion } : {}),
      ...(type?.lastSentVersion ? { lastSentVersion: type.lastSentVersion, lastSentNonce: type.lastSentNonce } : {}),
      ...(type?.lastAckedVersion ? { lastAckedVersion: type.lastAckedVersion } : {}),
      acknowledged: Boolean(type?.lastSentVersion) && type?.lastAckedVersion === type?.lastSentVersion,
      ...(type?.lastNack ? { lastNack: { ...type.lastNack, time: type.lastNack.time.toISOString() } } : {}),
    };
  }
  return result;
}
