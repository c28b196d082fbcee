import { selectsDataplane, type DataplaneBody, type PolicyResource, type Resource } from "@zonemesh/resources";

const keyOf = (policy: PolicyResource) => `${policy.type}/${policy.name}`;
const contentOf = (policy: PolicyResource) => JSON.stringify([policy.labels, policy.body]);
const routesOf = (policies: PolicyResource[]) => policies.filter((policy) => policy.type === "MeshHTTPRoute");

/**
 * Which dataplanes of a mesh can get a different configuration when its policies go from `before` to `after`: those
 * selected by the old or the new version of a policy that was added, changed or removed. Generation reads policies only
 * through the matcher's selection of the proxy (a policy targeting a MeshHTTPRoute selects what the route selects, and
 * takes its rules from it: a changed route is itself a changed policy), so every other proxy's output is unchanged.
 */
export function dataplanesAffectedByPolicies(before: PolicyResource[], after: PolicyResource[]): (dataplane: Resource<DataplaneBody>) => boolean {
  const old = new Map(before.map((policy) => [keyOf(policy), policy]));
  const current = new Map(after.map((policy) => [keyOf(policy), policy]));
  const oldRoutes = routesOf(before);
  const newRoutes = routesOf(after);
  const selectors: ((dataplane: Resource<DataplaneBody>) => boolean)[] = [];
  for (const key of new Set([...old.keys(), ...current.keys()])) {
    const was = old.get(key);
    const is = current.get(key);
    if (was && is && contentOf(was) === contentOf(is)) continue;
    if (was) selectors.push((dataplane) => selectsDataplane(was.body.spec.targetRef, dataplane, was.mesh, oldRoutes));
    if (is) selectors.push((dataplane) => selectsDataplane(is.body.spec.targetRef, dataplane, is.mesh, newRoutes));
  }
  return (dataplane) => selectors.some((selects) => selects(dataplane));
}
