import { z } from "zod";
import { nonEmptyString, tagsSchema } from "../common/fields";
import { DISPLAY_NAME_LABEL } from "../resource";

/** The kinds that select proxies or peers by tags. */
export const TARGET_REF_KINDS = ["Mesh", "MeshSubset", "MeshService", "MeshServiceSubset"] as const;
export type TagSelectorKind = (typeof TARGET_REF_KINDS)[number];
/** Kinds of a top-level targetRef: `Dataplane` selects proxies by their name or resource labels. */
export const TOP_LEVEL_KINDS = [...TARGET_REF_KINDS, "Dataplane"] as const;
/** `MeshHTTPRoute` targets the requests of a named route (MeshTimeout's top-level targetRef). */
export type TargetRefKind = (typeof TOP_LEVEL_KINDS)[number] | "MeshHTTPRoute";

export const PROXY_TYPES = ["Sidecar", "Gateway"] as const;

export interface TargetRef {
  kind: TargetRefKind;
  name?: string;
  tags?: Record<string, string>;
  mesh?: string;
  proxyTypes?: ("Sidecar" | "Gateway")[];
  /** `Dataplane`: resource labels the dataplane must carry; `MeshService(Subset)`: `kuma.io/display-name`, the service. */
  labels?: Record<string, string>;
  /** `Dataplane` only: the Kubernetes namespace beside `name`. */
  namespace?: string;
  /** `Dataplane`: one inbound, by its name or port; `MeshService`: one of its ports (a service here has one). */
  sectionName?: string;
}

const NAMED_KINDS: readonly TargetRefKind[] = ["MeshService", "MeshServiceSubset", "MeshHTTPRoute"];
/** Kinds a service is named in: by `name`, or by Kuma 2.9+'s `labels: {kuma.io/display-name: <service>}`. */
const SERVICE_KINDS: readonly TargetRefKind[] = ["MeshService", "MeshServiceSubset"];
// Kuma's own docs name the mesh in `kind: Mesh` refs (`name: default`); it is accepted and does not narrow the selection.
const NAME_ALLOWED_KINDS: readonly TargetRefKind[] = [...NAMED_KINDS, "Mesh", "Dataplane"];
const TAGGED_KINDS: readonly TargetRefKind[] = ["MeshSubset", "MeshServiceSubset"];
// A MeshService's `sectionName` names one of its ports; a kuma.io/service here is served on one port, so it narrows nothing.
const SECTION_KINDS: readonly TargetRefKind[] = ["Dataplane", "MeshService"];

/** A targetRef accepting only `kinds`: Kuma restricts the kinds per policy and per place (top level, from[], to[]). */
export function targetRefSchema(kinds: readonly TargetRefKind[], options: { proxyTypes?: boolean } = {}) {
  const allowed = kinds.join(", ");
  return z
    .strictObject({
      kind: z.enum(kinds as [TargetRefKind, ...TargetRefKind[]], {
        error: (issue) =>
          issue.input === undefined
            ? "required field is missing"
            : `${JSON.stringify(issue.input)} is not allowed here, must be one of: ${allowed}`,
      }),
      name: nonEmptyString.optional(),
      tags: tagsSchema.optional(),
      mesh: z.string().optional(),
      labels: tagsSchema.optional(),
      namespace: nonEmptyString.optional(),
      sectionName: nonEmptyString.optional(),
      ...(options.proxyTypes ? { proxyTypes: z.array(z.enum(PROXY_TYPES)).optional() } : {}),
    })
    .superRefine((ref, ctx) => {
      if (NAMED_KINDS.includes(ref.kind) && ref.name === undefined && !(SERVICE_KINDS.includes(ref.kind) && ref.labels !== undefined)) {
        ctx.addIssue({ code: "custom", path: ["name"], message: `required field is missing for kind ${ref.kind}` });
      }
      if (SERVICE_KINDS.includes(ref.kind) && ref.labels !== undefined) serviceLabelsIssues(ref, ctx);
      if (ref.kind !== "Dataplane" && !SERVICE_KINDS.includes(ref.kind) && ref.labels !== undefined) {
        ctx.addIssue({ code: "custom", path: ["labels"], message: `must not be set for kind ${ref.kind}` });
      }
      if (!NAME_ALLOWED_KINDS.includes(ref.kind) && ref.name !== undefined) {
        ctx.addIssue({ code: "custom", path: ["name"], message: `must not be set for kind ${ref.kind}` });
      }
      if (!TAGGED_KINDS.includes(ref.kind) && ref.tags !== undefined) {
        ctx.addIssue({ code: "custom", path: ["tags"], message: `must not be set for kind ${ref.kind}` });
      }
      if (!SECTION_KINDS.includes(ref.kind) && ref.sectionName !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sectionName"], message: `must not be set for kind ${ref.kind}` });
      }
      if (ref.kind !== "Dataplane" && ref.namespace !== undefined) {
        ctx.addIssue({ code: "custom", path: ["namespace"], message: `must not be set for kind ${ref.kind}` });
      }
      if (ref.kind === "Dataplane" && ref.labels !== undefined && (ref.name !== undefined || ref.namespace !== undefined)) {
        ctx.addIssue({ code: "custom", path: ["labels"], message: "either labels or name and namespace must be specified" });
      }
      if (ref.kind === "Dataplane" && ref.proxyTypes !== undefined) {
        ctx.addIssue({ code: "custom", path: ["proxyTypes"], message: "must not be set for kind Dataplane" });
      }
    }) as z.ZodType<TargetRef>;
}

export const topLevelTargetRef = targetRefSchema(TOP_LEVEL_KINDS, { proxyTypes: true });

/**
 * A MeshService named by labels (Kuma 2.9+ selects MeshService resources so). Services here are `kuma.io/service` tags,
 * whose MeshService Kuma labels with the service's name: that label names it, and nothing else can be matched.
 */
export function serviceLabelsIssues(ref: { name?: string; labels?: Record<string, string> }, ctx: z.RefinementCtx) {
  const { [DISPLAY_NAME_LABEL]: displayName, ...others } = ref.labels ?? {};
  if (ref.name !== undefined) ctx.addIssue({ code: "custom", path: ["labels"], message: "either labels or name must be specified" });
  else if (!displayName) ctx.addIssue({ code: "custom", path: ["labels", DISPLAY_NAME_LABEL], message: "required: the service's name (labels select a service by it)" });
  for (const key of Object.keys(others)) {
    ctx.addIssue({ code: "custom", path: ["labels", key], message: `not supported: services are selected by ${DISPLAY_NAME_LABEL} only` });
  }
}

/** The service a MeshService or MeshServiceSubset ref (or backendRef) names: its `name`, or its display-name label. */
export function serviceNameOf(ref: { name?: string; labels?: Record<string, string> }): string {
  return ref.name ?? ref.labels?.[DISPLAY_NAME_LABEL] ?? "";
}

/** `from[]`/`to[]` entries: a targetRef and the `default` conf for it. */
export function policyItemList<Conf>(kinds: readonly TargetRefKind[], conf: z.ZodType<Conf>) {
  return z.array(z.strictObject({ targetRef: targetRefSchema(kinds), default: conf }));
}

/** New-style inbound `rules[]`: a `default` conf applied to all traffic into the selected proxies. */
export function inboundRuleList<Conf>(conf: z.ZodType<Conf>) {
  return z.array(z.strictObject({ default: conf }));
}

/** `MeshService/web`, `MeshSubset{team=a}`, `Dataplane{app=web}:http-port`: what a targetRef selects, in one line. */
export function describeTargetRef(ref: { kind?: string; name?: string; tags?: Record<string, string>; labels?: Record<string, string>; sectionName?: string }): string {
  const pairs = Object.entries({ ...ref.tags, ...ref.labels }).map(([key, value]) => `${key}=${value}`);
  return `${ref.kind ?? ""}${ref.name ? `/${ref.name}` : ""}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""}${ref.sectionName ? `:${ref.sectionName}` : ""}`;
}

/** Kuma's rule for a top-level `sectionName`: it picks an inbound, so the policy may configure inbound traffic only. */
export function sectionNameOnlyInbound(body: { spec: { targetRef?: TargetRef; to?: unknown[] } }, ctx: z.RefinementCtx) {
  if (body.spec.targetRef?.sectionName !== undefined && (body.spec.to?.length ?? 0) > 0) {
    ctx.addIssue({ code: "custom", path: ["spec", "targetRef", "sectionName"], message: "can only be used with inbound policies (from, rules), not with to" });
  }
}

/** Kuma refuses a policy that configures nothing: at least one of the sections must be present. */
export function requireOneOf(...sections: string[]) {
  return (spec: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (sections.every((section) => spec[section] === undefined || (spec[section] as unknown[]).length === 0)) {
      ctx.addIssue({ code: "custom", path: [sections[0] as string], message: `at least one of ${sections.join(", ")} has to be defined` });
    }
  };
}
