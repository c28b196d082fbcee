import { resourceTypes, type PolicyRef } from "@zonemesh/resources";
import { pathParam, type ApiRoute, type JsonSchema } from "../../api/route";
import type { ProxyKey } from "./proxy-id";
import type { GenerationRecord } from "./reconciler";

/** One reason a policy could not be translated, and the connected proxies whose configuration left it out for it. */
export interface PolicyWarning {
  reason: string;
  dataplanes: { name: string }[];
}

/**
 * What the last generation of each connected proxy reported against `policy`, grouped by reason (a policy selecting
 * thousands of proxies usually fails the same way for all of them); reasons and names sorted.
 */
export function policyWarnings(generations: Iterable<{ key: ProxyKey; record: GenerationRecord }>, policy: PolicyRef): PolicyWarning[] {
  const byReason = new Map<string, string[]>();
  for (const { key, record } of generations) {
    if (key.mesh !== policy.mesh) continue;
    for (const warning of record.warnings) {
      const { type, mesh, name } = warning.policy;
      if (type !== policy.type || mesh !== policy.mesh || name !== policy.name) continue;
      const names = byReason.get(warning.reason);
      if (names) names.push(key.name);
      else byReason.set(warning.reason, [key.name]);
    }
  }
  return [...byReason.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, names]) => ({ reason, dataplanes: [...new Set(names)].sort().map((name) => ({ name })) }));
}

const warningsSchema: JsonSchema = {
  type: "object",
  properties: {
    policy: { type: "object", properties: { type: { type: "string" }, mesh: { type: "string" }, name: { type: "string" } } },
    warnings: { type: "array", items: { type: "object", properties: { reason: { type: "string" }, dataplanes: { type: "array", items: { type: "object" } } } } },
  },
};

/**
 * `GET /meshes/{mesh}/<policy type>/{name}/_warnings` for every policy type: why the policy (or part of it) could
 * not be translated into the configuration of the proxies it selects. The zone and the global answer it each their
 * way (`answer`): the zone from its own proxies, the global by asking the zones.
 */
export function policyWarningRoutes(description: string, extraResponses: ApiRoute["responses"], answer: (policy: PolicyRef) => Promise<object>): ApiRoute[] {
  return resourceTypes
    .filter((type) => type.isPolicy)
    .map((type) => ({
      method: "GET",
      path: `/meshes/{mesh}/${type.plural}/{name}/_warnings`,
      operationId: `get${type.name}Warnings`,
      summary: `Why a ${type.name} could not be translated for the proxies it selects (empty when it was everywhere)`,
      description,
      tag: "Inspect",
      responses: {
        200: { description: "Reasons, each with the dataplanes whose configuration left the policy (or that part of it) out", schema: warningsSchema },
        404: { description: "No such mesh or policy" },
        ...extraResponses,
      },
      handler: async (request) => answer({ type: type.name, mesh: pathParam(request, "mesh"), name: pathParam(request, "name") }),
    }));
}
