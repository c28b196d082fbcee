// The "policy-warnings" request the global sends each zone over KDS: why a policy could not be translated for that
// zone's connected proxies, as the zone's own `_warnings` route answers.
import { z } from "zod";
import type { PolicyRef } from "@zonemesh/resources";
import { ProblemError } from "../api/problem";

export const POLICY_WARNINGS_REQUEST = "policy-warnings";

export const policyWarningsRequestSchema = z.object({ type: z.string().min(1), mesh: z.string().min(1), name: z.string().min(1) });

export const policyWarningsAnswerSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal(200),
    warnings: z.array(z.object({ reason: z.string(), dataplanes: z.array(z.object({ name: z.string() })) })),
  }),
  z.object({ status: z.literal(404), detail: z.string() }),
]);

export type PolicyWarningsAnswer = z.infer<typeof policyWarningsAnswerSchema>;

/** The zone's handler of "policy-warnings" over the function behind its `_warnings` routes. */
export function answerPolicyWarnings(policyWarnings: (policy: PolicyRef) => Promise<{ warnings: { reason: string; dataplanes: { name: string }[] }[] }>): (payload: unknown) => Promise<PolicyWarningsAnswer> {
  return async (payload) => {
    const parsed = policyWarningsRequestSchema.safeParse(payload);
    if (!parsed.success) throw new Error(`invalid "${POLICY_WARNINGS_REQUEST}" request: ${z.prettifyError(parsed.error)}`);
    try {
      return { status: 200, warnings: (await policyWarnings(parsed.data)).warnings };
    } catch (error) {
      // The policy has not reached this zone yet (or was deleted meanwhile).
      if (error instanceof ProblemError && error.status === 404) return { status: 404, detail: error.detail };
      throw error;
    }
  };
}
