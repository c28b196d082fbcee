import { z } from "zod";
import { nonEmptyString } from "../common/fields";
import { policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";
import { requireBlockForType } from "./type-block";

// `type` became required in Kuma 2.3; older documented examples omit it, so it stays optional here.
const format = z.strictObject({
  type: z.enum(["Plain", "Json"]).optional(),
  plain: z.string().optional(),
  json: z.array(z.strictObject({ key: nonEmptyString, value: z.string() })).optional(),
  omitEmptyValues: z.boolean().optional(),
});

const backend = z.strictObject({
  type: z.enum(["Tcp", "File", "OpenTelemetry"]).optional(),
  tcp: z.strictObject({ format: format.optional(), address: nonEmptyString }).optional(),
  file: z.strictObject({ format: format.optional(), path: nonEmptyString }).optional(),
  openTelemetry: z
    .strictObject({
      endpoint: nonEmptyString,
      attributes: z.array(z.strictObject({ key: nonEmptyString, value: z.string() })).optional(),
      body: z.unknown().optional(),
    })
    .optional(),
})
  .superRefine(requireBlockForType({ Tcp: "tcp", File: "file", OpenTelemetry: "openTelemetry" }))
  .superRefine((value, ctx) => {
    const blocks = [value.tcp, value.file, value.openTelemetry].filter((block) => block !== undefined).length;
    if (blocks !== 1 && (value.type === undefined || blocks > 1)) {
      ctx.addIssue({ code: "custom", path: [], message: "exactly one of tcp, file, openTelemetry has to be defined" });
    }
  });

export const accessLogConf = z.strictObject({ backends: z.array(backend).optional() });

export const meshAccessLogBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(["Mesh"], accessLogConf).optional(),
      to: policyItemList(["Mesh", "MeshService"], accessLogConf).optional(),
    })
    .superRefine(requireOneOf("from", "to")),
});
export type MeshAccessLogBody = z.infer<typeof meshAccessLogBody>;
