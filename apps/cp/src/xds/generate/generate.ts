import { callerTagValues, callerTagsValue, withCallerTags } from "./caller-tags";
import { ClusterRefs } from "./cluster-refs";
import { outboundCluster } from "./clusters";
import { inboundResources } from "./inbound-reuse";
import type { GenerateInput, GenerationWarning, ProxyResources, Warn } from "./input";
import { outboundListenersAndRoutes } from "./outbound-listeners";
import { MeshView } from "./mesh-view";
import { metricsResources } from "./metrics-listener";
import { proxyOutbounds } from "./outbounds";
import { isMtlsEnabled, meshSecrets } from "./tls";
import { transparentProxyResources } from "./transparent-proxy";
import { zonePriorities } from "./zone-priorities";

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The Envoy resources of one proxy, computed only from its inputs: same input, same output (sorted, stable names).
 * Policies that cannot be translated are reported in `warnings` and left out; they never make generation fail.
 * `mesh` is what all proxies of the mesh share: build it once per mesh state when generating for many proxies (the
 * resources it shares between proxies are the same objects: treat the output as immutable).
 */
export function generateProxyResources(input: GenerateInput, mesh: MeshView = new MeshView(input)): ProxyResources {
  const warnings = new Map<string, GenerationWarning>();
  const warn: Warn = (origins, reason) => {
    for (const { type, mesh, name } of origins) warnings.set(`${type}/${name}/${reason}`, { policy: { type, mesh, name }, reason });
  };
  const mtls = isMtlsEnabled(input.mesh);
  if (mtls && !input.certificates) throw new Error(`mesh ${input.mesh.name} has mTLS enabled: generation needs the proxy's certificates`);

  const catalog = mesh.services;
  for (const { origin, reason } of mesh.leftOutExternalServices) warn([origin], reason);
  const policies = mesh.policiesFor(input.dataplane, input.policies, warn);
  const clusterRefs = new ClusterRefs(catalog);
  const inbound = inboundResources(input, policies, warn);
  const context = { catalog, clusters: clusterRefs, warn };
  const outbound = outboundListenersAndRoutes(proxyOutbounds(input, catalog), input, policies, context, mesh.outbounds);
  const transparent = transparentProxyResources(input.dataplane.body.networking, input.mesh);
  const metrics = metricsResources(input, policies.metric, warn);

  const callerTags = callerTagValues(input.dataplane);
  const callerTagsHeader = callerTagsValue(callerTags);
  // Affinity compares the caller's first value of a tag (a dataplane usually has one).
  const affinityTags = Object.fromEntries([...callerTags].map(([name, values]) => [name, values[0] as string]));
  const clusterSpecs = clusterRefs.all();
  const outboundClusters = clusterSpecs.map((spec) =>
    mesh.outbounds.memo(`${policies.outboundKey}|cluster|${spec.name}|${spec.protocol}`, context, (recording) =>
      outboundCluster(spec, policies.outbound(spec.service), input.mesh.name, mtls, recording.warn, catalog.get(spec.service)?.external),
    ),
  );
  const endpoints = clusterSpecs.filter((spec) => !catalog.get(spec.service)?.external).map((spec) => mesh.loadAssignment(spec, zonePriorities(input.localZone, policies.outbound(spec.service).loadBalancing?.conf.localityAwareness, affinityTags)));

  return {
    listeners: [...inbound.listeners, ...outbound.listeners, ...transparent.listeners, ...metrics.listeners].sort(byName),
    clusters: [...inbound.clusters, ...outboundClusters, ...transparent.clusters, ...metrics.clusters].sort(byName),
    endpoints: endpoints.sort((a, b) => byName({ name: a.cluster_name }, { name: b.cluster_name })),
    routes: outbound.routes.map((route) => withCallerTags(route, callerTagsHeader)).sort(byName),
    secrets: mtls && input.certificates ? meshSecrets(input.mesh.name, input.certificates) : [],
    warnings: [...warnings.values()].sort((a, b) => byName(a.policy, b.policy) || (a.reason < b.reason ? -1 : 1)),
  };
}
