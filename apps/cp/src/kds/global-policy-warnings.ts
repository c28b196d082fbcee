// The global's `_warnings` routes: policies are translated in the zones, so the global asks every zone (over the KDS
// requests stream each opened) why a policy could not be translated for its proxies, and merges the answers.
import { KdsRequestError, type KdsServer } from "@zonemesh/kds";
import type { PolicyRef } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import { requireResource } from "../api/inspect-routes";
import type { ApiRoute } from "../api/route";
import { policyWarningRoutes } from "../xds/server/policy-warnings";
import { POLICY_WARNINGS_REQUEST, policyWarningsAnswerSchema } from "./policy-warnings-request";
import { zoneScopedName } from "./zone-scoped-name";

export interface GlobalPolicyWarningsDeps {
  store: ResourceStore;
  server: KdsServer;
  /** How long each zone has to answer; default 5 s. */
  timeoutMs?: number;
}

interface ZoneWarning {
  zone: string;
  reason: string;
  /** `name` is the global's (zone-scoped) name of the dataplane, `displayName` the one its zone gave it. */
  dataplanes: { name: string; displayName: string }[];
}

/** Whether each zone answered: a zone that did not may have proxies the policy cannot be translated for. */
type ZoneStatus = { zone: string; answered: true } | { zone: string; answered: false; reason: string };

async function askZone(deps: GlobalPolicyWarningsDeps, zone: string, policy: PolicyRef): Promise<{ status: ZoneStatus; warnings: ZoneWarning[] }> {
  const unanswered = (reason: string) => ({ status: { zone, answered: false as const, reason }, warnings: [] });
  let reply: unknown;
  try {
    reply = await deps.server.request(zone, POLICY_WARNINGS_REQUEST, policy, { timeoutMs: deps.timeoutMs ?? 5_000 });
  } catch (error) {
    if (error instanceof KdsRequestError) return unanswered(error.message);
    throw error;
  }
  const answer = policyWarningsAnswerSchema.safeParse(reply);
  if (!answer.success) return unanswered("the zone gave an answer of the wrong shape");
  if (answer.data.status === 404) return unanswered(`the zone does not have the policy yet: ${answer.data.detail}`);
  const warnings = answer.data.warnings.map(({ reason, dataplanes }) => ({
    zone,
    reason,
    dataplanes: dataplanes.map(({ name }) => ({ name: zoneScopedName(policy.mesh, name, zone), displayName: name })),
  }));
  return { status: { zone, answered: true }, warnings };
}

/** Every zone's warnings for `policy`, and which zones answered (every registered zone is listed). */
export async function globalPolicyWarnings(deps: GlobalPolicyWarningsDeps, policy: PolicyRef): Promise<{ policy: PolicyRef; warnings: ZoneWarning[]; zones: ZoneStatus[] }> {
  await requireResource(deps.store, policy.type, policy.mesh, policy.name);
  const registered = (await deps.store.list({ type: "Zone" })).items.map((zone) => zone.name);
  const connected = new Set(deps.server.connectedZones().map((connection) => connection.zone));
  const zones = [...new Set([...registered, ...connected])].sort();
  const answers = await Promise.all(
    zones.map((zone) =>
      connected.has(zone) ? askZone(deps, zone, policy) : { status: { zone, answered: false as const, reason: "the zone is not connected to this global" }, warnings: [] },
    ),
  );
  return { policy, warnings: answers.flatMap((answer) => answer.warnings), zones: answers.map((answer) => answer.status) };
}

export function globalPolicyWarningRoutes(deps: GlobalPolicyWarningsDeps): ApiRoute[] {
  return policyWarningRoutes(
    "Policies are translated in the zones: the global asks every connected zone over KDS and merges the answers, each warning with its zone; `zones` tells which zones answered (a zone that is offline, slow, or does not have the policy yet is listed with the reason).",
    {},
    (policy) => globalPolicyWarnings(deps, policy),
  );
}
