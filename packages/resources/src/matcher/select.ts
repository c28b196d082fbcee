import { serviceNameOf, type TargetRef } from "../policies/target-ref";
import { NAMESPACE_LABEL, SERVICE_TAG, type DataplaneBody } from "../types/dataplane";
import { displayNameOf, type Resource } from "../resource";
import { dataplaneTags, tagsMatch, type InboundTags, type Tags } from "./tags";
import type { PolicyResource } from "./policy";

/** Tags a targetRef requires (Mesh: none); the same reading serves top-level, from[] and to[] targetRefs. */
export function targetRefTags(ref: TargetRef): Tags {
  switch (ref.kind) {
    case "Mesh":
      return {};
    case "MeshSubset":
      return { ...ref.tags };
    case "MeshService":
      return { [SERVICE_TAG]: serviceNameOf(ref) };
    case "MeshServiceSubset":
      return { ...ref.tags, [SERVICE_TAG]: serviceNameOf(ref) };
    case "MeshHTTPRoute":
      throw new Error("a MeshHTTPRoute targetRef selects through the route it names, not by tags");
    case "Dataplane":
      throw new Error("a Dataplane targetRef selects by name or resource labels, not by tags");
  }
}

/** `kind: Dataplane`: every dataplane, the one named (in `namespace`), or those whose resource labels include `labels`. */
function dataplaneSelected(ref: TargetRef, dataplane: Resource<DataplaneBody>): boolean {
  if (ref.labels !== undefined) return tagsMatch(ref.labels, dataplane.labels);
  if (ref.name !== undefined && displayNameOf(dataplane) !== ref.name) return false;
  return ref.namespace === undefined || dataplane.labels[NAMESPACE_LABEL] === ref.namespace;
}

/** A `sectionName` picks one inbound by its name or, failing that, its port. */
const inSection = (sectionName: string | undefined) => (inbound: InboundTags) =>
  sectionName === undefined || inbound.name === sectionName || (inbound.name === undefined && String(inbound.port) === sectionName);

function proxyTypeAllowed(ref: TargetRef, dataplane: Resource<DataplaneBody>): boolean {
  if (!ref.proxyTypes || ref.proxyTypes.length === 0) return true;
  return ref.proxyTypes.includes(dataplane.body.networking.gateway ? "Gateway" : "Sidecar");
}

/** The MeshHTTPRoute a `kind: MeshHTTPRoute` targetRef names, among `routes`, in the dataplane's mesh. */
export function referencedRoute(ref: TargetRef, mesh: string, routes: PolicyResource[]): PolicyResource | undefined {
  return routes.find((route) => route.type === "MeshHTTPRoute" && route.name === ref.name && route.mesh === mesh);
}

/**
 * The inbounds (and gateway tag set) of a dataplane that a top-level targetRef selects; a missing targetRef means Mesh.
 * A MeshHTTPRoute targetRef selects what the named route (looked up in `routes`) selects.
 */
export function inboundsSelectedBy(ref: TargetRef | undefined, dataplane: Resource<DataplaneBody>, routes: PolicyResource[] = []): InboundTags[] {
  const target = ref ?? { kind: "Mesh" };
  if (target.kind === "MeshHTTPRoute") {
    const route = referencedRoute(target, dataplane.mesh, routes);
    const routeTarget = route?.body.spec.targetRef;
    return route && routeTarget?.kind !== "MeshHTTPRoute" ? inboundsSelectedBy(routeTarget, dataplane) : [];
  }
  if (target.kind === "Dataplane") {
    return dataplaneSelected(target, dataplane) ? dataplaneTags(dataplane).filter(inSection(target.sectionName)) : [];
  }
  if (!proxyTypeAllowed(target, dataplane)) return [];
  const required = targetRefTags(target);
  return dataplaneTags(dataplane).filter((inbound) => tagsMatch(required, inbound.tags));
}

/** Whether a top-level targetRef of a policy in `meshName` selects the dataplane; `routes` resolve MeshHTTPRoute refs. */
export function selectsDataplane(
  ref: TargetRef | undefined,
  dataplane: Resource<DataplaneBody>,
  meshName: string,
  routes: PolicyResource[] = [],
): boolean {
  return dataplane.mesh === meshName && inboundsSelectedBy(ref, dataplane, routes).length > 0;
}

export function dataplanesForPolicy(
  policy: PolicyResource,
  dataplanes: Resource<DataplaneBody>[],
  routes: PolicyResource[] = [],
): Resource<DataplaneBody>[] {
  return dataplanes.filter((dataplane) => selectsDataplane(policy.body.spec.targetRef, dataplane, policy.mesh, routes));
}

/** Policies selecting the dataplane, in Kuma's merge order (see `comparePolicies`); routes are looked up among `policies`. */
export function policiesForDataplane<P extends PolicyResource>(dataplane: Resource<DataplaneBody>, policies: P[], routes: PolicyResource[] = policies): P[] {
  return policies.filter((policy) => selectsDataplane(policy.body.spec.targetRef, dataplane, policy.mesh, routes)).sort(comparePolicies);
}

const KIND_ORDER = { Mesh: 1, Dataplane: 2, MeshSubset: 3, MeshService: 4, MeshServiceSubset: 5, MeshHTTPRoute: 6 } as const;

/** Kuma's kind order, a Dataplane ref with a sectionName after one without. */
const specificity = (ref: TargetRef | undefined) => KIND_ORDER[ref?.kind ?? "Mesh"] * 2 + (ref?.sectionName === undefined ? 0 : 1);

/**
 * Kuma's order (SortByTargetRef): less specific top-level targetRef first, then by the name the policy was created
 * with, descending; later policies override earlier ones, so of two policies with the same targetRef the one whose
 * name sorts first wins (`backend-timeout` over the initial `mesh-timeout-to-all-default`).
 */
export function comparePolicies(a: PolicyResource, b: PolicyResource): number {
  const byKind = specificity(a.body.spec.targetRef) - specificity(b.body.spec.targetRef);
  if (byKind !== 0) return byKind;
  const [nameA, nameB] = [displayNameOf(a), displayNameOf(b)];
  return nameA < nameB ? 1 : nameA > nameB ? -1 : 0;
}
