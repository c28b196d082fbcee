import { z } from "zod";
import { backendRefSchema } from "./mesh-http-route";
import { targetRefSchema, topLevelTargetRef } from "./target-ref";

export const tcpRouteRule = z.strictObject({
  default: z.strictObject({ backendRefs: z.array(backendRefSchema).min(1, { error: "must have at least one element" }) }),
});

export const meshTCPRouteBody = z.strictObject({
  spec: z.strictObject({
    targetRef: topLevelTargetRef.optional(),
    to: z
      .array(z.strictObject({ targetRef: targetRefSchema(["MeshService"]), rules: z.array(tcpRouteRule).max(1) }))
      .min(1, { error: "must have at least one element" }),
  }),
});
export type MeshTCPRouteBody = z.infer<typeof meshTCPRouteBody>;
