import { z } from "zod";
import { spiffeIdMatch } from "./spiffe-id-match";
import { TARGET_REF_KINDS, inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

export const trafficPermissionConf = z.strictObject({
  action: z.enum(["Allow", "Deny", "AllowWithShadowDeny"]),
});

/** Kuma 2.12+'s `rules[].default`: callers denied, allowed, and allowed but logged as denied; a deny wins. */
export const trafficPermissionRulesConf = z.strictObject({
  allow: z.array(spiffeIdMatch).optional(),
  deny: z.array(spiffeIdMatch).optional(),
  allowWithShadowDeny: z.array(spiffeIdMatch).optional(),
});

export const meshTrafficPermissionBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(TARGET_REF_KINDS, trafficPermissionConf).optional(),
      rules: inboundRuleList(trafficPermissionRulesConf).optional(),
    })
    .superRefine(requireOneOf("from", "rules"))
    .superRefine((spec, ctx) => {
      if (spec.from !== undefined && spec.rules !== undefined) {
        ctx.addIssue({ code: "custom", path: ["rules"], message: "from and rules are mutually exclusive: use one form per policy" });
      }
    }),
});
export type MeshTrafficPermissionBody = z.infer<typeof meshTrafficPermissionBody>;
