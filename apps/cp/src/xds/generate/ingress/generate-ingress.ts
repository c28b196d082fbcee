import type { Cluster, ClusterLoadAssignment } from "@zonemesh/xds";
import { serviceCatalog } from "../catalog";
import { loadAssignment } from "../endpoints";
import { adsConfigSource } from "../envoy-values";
import { sniFor, subsetClusterName } from "../names";
import { timeouts } from "../timeouts";
import { isMtlsEnabled } from "../tls";
import { meshAvailableServices } from "./available-services";
import type { IngressInput, IngressResources } from "./input";
import { routedSubsets } from "./routed-subsets";
import { sniListener, type SniRoute } from "./sni-listener";
import { zonePriorities } from "../zone-priorities";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Mesh names have no ':', so the same service in two meshes gets two clusters. */
const ingressClusterName = (mesh: string, service: string) => `${mesh}:${service}`;

/**
 * The Envoy resources of a ZoneIngress, and the `availableServices` to store on it. Other zones' proxies reach a service
 * of this zone by a TLS connection to the ingress whose SNI is `<service>{mesh=<mesh>}`; the ingress forwards it as is
 * to the inbound listeners (the proxies, not the applications) of the service's ready local endpoints. A subset routed
 * to by a MeshHTTPRoute/MeshTCPRoute (`<service>{mesh=<mesh>,version=v1}`) gets its own chain and cluster.
 * Same input, same output (sorted, stable names).
 */
export function generateIngressResources(input: IngressInput): IngressResources {
  const routes: SniRoute[] = [];
  const clusters: Cluster[] = [];
  const endpoints: ClusterLoadAssignment[] = [];
  const availableServices: IngressResources["availableServices"] = [];
  const connectTimeout = timeouts(undefined).connect;
  const subsets = routedSubsets(input.policies ?? []);

  for (const mesh of [...input.meshes].sort((a, b) => byName(a.name, b.name))) {
    const dataplanes = input.dataplanes.filter((dataplane) => dataplane.mesh === mesh.name);
    const services = serviceCatalog({ mesh: { ...mesh.body, name: mesh.name }, dataplanes, zoneIngresses: [], localZone: input.localZone });
    availableServices.push(...meshAvailableServices(mesh.name, services));
    // Other zones only send a mesh's traffic here over its mTLS (the SNI is what routes it): without mTLS nothing comes.
    if (!isMtlsEnabled(mesh.body)) continue;
    for (const [service, info] of [...services].sort(([a], [b]) => byName(a, b))) {
      const whole = ingressClusterName(mesh.name, service);
      for (const tags of [{}, ...(subsets.get(whole) ?? [])]) {
        const cluster = ingressClusterName(mesh.name, subsetClusterName(service, tags));
        routes.push({ sni: sniFor(service, { ...tags, mesh: mesh.name }), cluster });
        clusters.push({ name: cluster, type: "EDS", eds_cluster_config: { eds_config: adsConfigSource }, connect_timeout: connectTimeout });
        endpoints.push(loadAssignment(cluster, info.endpoints, tags, zonePriorities(input.localZone, undefined, {})));
      }
    }
  }

  const networking = input.ingress.body.networking;
  return {
    // Envoy refuses a listener without filter chains.
    listeners: routes.length > 0 ? [sniListener(networking.address, networking.port, routes)] : [],
    clusters,
    endpoints,
    routes: [],
    secrets: [],
    availableServices,
  };
}
