import { z } from "zod";
import { nonEmptyString, percentageSchema, portSchema, tagsSchema } from "../common/fields";
import { headerMatchSchema, headerModifierSchema } from "./header-match";
import { serviceLabelsIssues, targetRefSchema, topLevelTargetRef } from "./target-ref";
import { requireBlockForType } from "./type-block";

export const backendRefSchema = z.strictObject({
  kind: z.enum(["MeshService", "MeshServiceSubset"]),
  name: nonEmptyString.optional(),
  labels: tagsSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  weight: z.number().int().min(0).optional(),
  port: portSchema.optional(),
}).superRefine((ref, ctx) => {
  if (ref.labels !== undefined) serviceLabelsIssues(ref, ctx);
  else if (ref.name === undefined) ctx.addIssue({ code: "custom", path: ["name"], message: `required field is missing for kind ${ref.kind}` });
  if (ref.kind === "MeshServiceSubset" && ref.tags === undefined) {
    ctx.addIssue({ code: "custom", path: ["tags"], message: "required field is missing for kind MeshServiceSubset" });
  }
});

const pathMatch = z
  .strictObject({
    type: z.enum(["Exact", "PathPrefix", "RegularExpression"]),
    value: nonEmptyString,
  })
  .superRefine((match, ctx) => {
    if (match.type !== "RegularExpression" && !match.value.startsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be an absolute path" });
    }
  });

const httpMatch = z.strictObject({
  path: pathMatch.optional(),
  method: z.enum(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]).optional(),
  queryParams: z
    .array(z.strictObject({ type: z.enum(["Exact", "RegularExpression"]), name: nonEmptyString, value: z.string() }))
    .optional(),
  headers: z.array(headerMatchSchema).optional(),
});

const hostname = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: "must be a lowercase RFC 1123 hostname" });

const pathRewrite = z.strictObject({
  type: z.enum(["ReplaceFullPath", "ReplacePrefixMatch"]),
  replaceFullPath: z.string().optional(),
  replacePrefixMatch: z.string().optional(),
}).superRefine(requireBlockForType({ ReplaceFullPath: "replaceFullPath", ReplacePrefixMatch: "replacePrefixMatch" }));

const filter = z.strictObject({
  type: z.enum(["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite", "RequestMirror"]),
  requestHeaderModifier: headerModifierSchema.optional(),
  responseHeaderModifier: headerModifierSchema.optional(),
  requestRedirect: z
    .strictObject({
      scheme: z.enum(["http", "https"]).optional(),
      hostname: hostname.optional(),
      path: pathRewrite.optional(),
      port: portSchema.optional(),
      statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).optional(),
    })
    .optional(),
  urlRewrite: z
    .strictObject({ hostname: hostname.optional(), path: pathRewrite.optional(), hostToBackendHostname: z.boolean().optional() })
    .optional(),
  requestMirror: z.strictObject({ percentage: percentageSchema.optional(), backendRef: backendRefSchema }).optional(),
}).superRefine(
  requireBlockForType({
    RequestHeaderModifier: "requestHeaderModifier",
    ResponseHeaderModifier: "responseHeaderModifier",
    RequestRedirect: "requestRedirect",
    URLRewrite: "urlRewrite",
    RequestMirror: "requestMirror",
  }),
);

export const httpRouteRuleConf = z.strictObject({
  filters: z.array(filter).optional(),
  backendRefs: z.array(backendRefSchema).optional(),
});

export const httpRouteRule = z.strictObject({
  matches: z.array(httpMatch).min(1, { error: "must have at least one element" }),
  default: httpRouteRuleConf,
});

export const meshHTTPRouteBody = z.strictObject({
  spec: z.strictObject({
    targetRef: topLevelTargetRef.optional(),
    to: z
      .array(
        z.strictObject({
          targetRef: targetRefSchema(["MeshService"]),
          hostnames: z.array(z.string()).optional(),
          rules: z.array(httpRouteRule),
        }),
      )
      .min(1, { error: "must have at least one element" }),
  }),
});
export type MeshHTTPRouteBody = z.infer<typeof meshHTTPRouteBody>;
