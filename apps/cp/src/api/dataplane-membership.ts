import { dataplaneTags, tagsMatch, type DataplaneBody, type MeshBody, type Resource } from "@zonemesh/resources";
import { badRequest } from "./problem";

const describe = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => `${key}=${value}`).join(", ");

/**
 * Kuma's data plane proxy membership: every tag set of the dataplane (one per inbound) must match one of the mesh's
 * `constraints.dataplaneProxy.requirements` (when there are any) and none of its `restrictions`; "*" matches any value.
 */
export function assertMeshMember(dataplane: Resource<DataplaneBody>, mesh: MeshBody): void {
  const { requirements = [], restrictions = [] } = mesh.constraints?.dataplaneProxy ?? {};
  for (const { port, tags } of dataplaneTags(dataplane)) {
    const field = "networking.inbound";
    if (requirements.length > 0 && !requirements.some((requirement) => tagsMatch(requirement.tags, tags))) {
      const reason = `the tags of the inbound on port ${port} (${describe(tags)}) match none of the requirements of mesh "${dataplane.mesh}" (constraints.dataplaneProxy.requirements)`;
      throw badRequest(`dataplane cannot be a member of mesh "${dataplane.mesh}"`, [{ field, reason }]);
    }
    const restriction = restrictions.find((candidate) => tagsMatch(candidate.tags, tags));
    if (restriction) {
      const reason = `the tags of the inbound on port ${port} (${describe(tags)}) match the restriction ${describe(restriction.tags)} of mesh "${dataplane.mesh}" (constraints.dataplaneProxy.restrictions)`;
      throw badRequest(`dataplane cannot be a member of mesh "${dataplane.mesh}"`, [{ field, reason }]);
    }
  }
}
