import { z } from "zod";
import { TARGET_REF_KINDS, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

export const trafficPermissionConf = z.strictObject({
  action: z.enum(["Allow", "Deny", "AllowWithShadowDeny"]),
});

export const meshTrafficPermissionBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(TARGET_REF_KINDS, trafficPermissionConf).optional(),
    })
    .superRefine(requireOneOf("from")),
});
export type MeshTrafficPermissionBody = z.infer<typeof meshTrafficPermissionBody>;
