import { z } from "zod";
import { parseResource, policyTypeNames, typeByName, type PolicyTypeName, type Resource } from "@zonemesh/resources";

export const policyTypeInput = z.enum(policyTypeNames as [PolicyTypeName, ...PolicyTypeName[]]);

/** A policy to preview or apply: checked by the shared `parseResource`, so nothing half-valid reaches the CP. */
export const policyResourceInput = z.unknown().transform((input, ctx): Resource => {
  const parsed = parseResource(input);
  if (!parsed.ok) {
    // One path segment per field: the formatted path (`spec.from[0].default.action`) is what forms key on.
    for (const error of parsed.errors) ctx.addIssue({ code: "custom", path: error.field ? [error.field] : [], message: error.reason });
    return z.NEVER;
  }
  if (!typeByName(parsed.resource.type)?.isPolicy) {
    ctx.addIssue({ code: "custom", path: ["type"], message: `must be a policy type: ${policyTypeNames.join(", ")}` });
    return z.NEVER;
  }
  return parsed.resource;
});

export const policyKeyInput = z.object({ type: policyTypeInput, mesh: z.string().min(1), name: z.string().min(1) });
