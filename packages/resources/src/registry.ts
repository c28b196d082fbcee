import type { z } from "zod";
import { dataplaneInsightBody } from "./insights/dataplane-insight";
import { meshInsightBody } from "./insights/mesh-insight";
import { zoneIngressInsightBody } from "./insights/zone-ingress-insight";
import { zoneInsightBody } from "./insights/zone-insight";
import { meshAccessLogBody } from "./policies/mesh-access-log";
import { meshCircuitBreakerBody } from "./policies/mesh-circuit-breaker";
import { meshFaultInjectionBody } from "./policies/mesh-fault-injection";
import { meshHealthCheckBody } from "./policies/mesh-health-check";
import { meshHTTPRouteBody } from "./policies/mesh-http-route";
import { meshLoadBalancingStrategyBody } from "./policies/mesh-load-balancing-strategy";
import { meshRateLimitBody } from "./policies/mesh-rate-limit";
import { meshRetryBody } from "./policies/mesh-retry";
import { meshTCPRouteBody } from "./policies/mesh-tcp-route";
import { meshTimeoutBody } from "./policies/mesh-timeout";
import { meshTLSBody } from "./policies/mesh-tls";
import { meshMetricBody } from "./policies/mesh-metric";
import { sectionNameOnlyInbound, type TargetRef } from "./policies/target-ref";
import { meshTrafficPermissionBody } from "./policies/mesh-traffic-permission";
import { dataplaneBody } from "./types/dataplane";
import { externalServiceBody } from "./types/external-service";
import { meshBody } from "./types/mesh";
import { secretBody } from "./types/secret";
import { zoneBody } from "./types/zone";
import { zoneEgressBody } from "./types/zone-egress";
import { zoneIngressBody } from "./types/zone-ingress";

export type ResourceScope = "Mesh" | "Global";
/** Direction KDS syncs a type in: global-to-zone (Mesh, policies...), zone-to-global (Dataplane...), both, or never. */
export type KdsSync = "global-to-zone" | "zone-to-global" | "both" | "none";

export interface ResourceTypeDescriptor<Body = unknown> {
  name: string;
  /** The REST path segment, as Kuma's API uses (`/meshes/{mesh}/meshtrafficpermissions`). */
  plural: string;
  scope: ResourceScope;
  /** targetRef policies; their body is `{spec: {...}}`. */
  isPolicy: boolean;
  kds: KdsSync;
  schema: z.ZodType<Body>;
}

// `const` keeps each descriptor's literal name, flags and exact schema type, so types can be derived from the list.
function descriptor<const D extends ResourceTypeDescriptor<any>>(d: D): D {
  return d;
}

function policy<const Name extends string, Schema extends z.ZodType<{ spec: { targetRef?: TargetRef; to?: unknown[] } }>>(name: Name, plural: string, schema: Schema) {
  return descriptor({ name, plural, scope: "Mesh", isPolicy: true, kds: "both", schema: schema.superRefine(sectionNameOnlyInbound) });
}

export const resourceTypes = [
  descriptor({ name: "Mesh", plural: "meshes", scope: "Global", isPolicy: false, kds: "global-to-zone", schema: meshBody }),
  descriptor({ name: "Dataplane", plural: "dataplanes", scope: "Mesh", isPolicy: false, kds: "zone-to-global", schema: dataplaneBody }),
  descriptor({ name: "ExternalService", plural: "external-services", scope: "Mesh", isPolicy: false, kds: "global-to-zone", schema: externalServiceBody }),
  descriptor({ name: "ZoneIngress", plural: "zoneingresses", scope: "Global", isPolicy: false, kds: "both", schema: zoneIngressBody }),
  descriptor({ name: "ZoneEgress", plural: "zoneegresses", scope: "Global", isPolicy: false, kds: "zone-to-global", schema: zoneEgressBody }),
  descriptor({ name: "Zone", plural: "zones", scope: "Global", isPolicy: false, kds: "none", schema: zoneBody }),
  descriptor({ name: "Secret", plural: "secrets", scope: "Mesh", isPolicy: false, kds: "global-to-zone", schema: secretBody }),
  descriptor({ name: "GlobalSecret", plural: "global-secrets", scope: "Global", isPolicy: false, kds: "global-to-zone", schema: secretBody }),
  descriptor({ name: "DataplaneInsight", plural: "dataplane-insights", scope: "Mesh", isPolicy: false, kds: "zone-to-global", schema: dataplaneInsightBody }),
  descriptor({ name: "ZoneInsight", plural: "zone-insights", scope: "Global", isPolicy: false, kds: "none", schema: zoneInsightBody }),
  descriptor({ name: "ZoneIngressInsight", plural: "zone-ingress-insights", scope: "Global", isPolicy: false, kds: "zone-to-global", schema: zoneIngressInsightBody }),
  descriptor({ name: "MeshInsight", plural: "mesh-insights", scope: "Mesh", isPolicy: false, kds: "none", schema: meshInsightBody }),
  policy("MeshTrafficPermission", "meshtrafficpermissions", meshTrafficPermissionBody),
  policy("MeshHTTPRoute", "meshhttproutes", meshHTTPRouteBody),
  policy("MeshTCPRoute", "meshtcproutes", meshTCPRouteBody),
  policy("MeshTimeout", "meshtimeouts", meshTimeoutBody),
  policy("MeshRetry", "meshretries", meshRetryBody),
  policy("MeshCircuitBreaker", "meshcircuitbreakers", meshCircuitBreakerBody),
  policy("MeshHealthCheck", "meshhealthchecks", meshHealthCheckBody),
  policy("MeshFaultInjection", "meshfaultinjections", meshFaultInjectionBody),
  policy("MeshRateLimit", "meshratelimits", meshRateLimitBody),
  policy("MeshLoadBalancingStrategy", "meshloadbalancingstrategies", meshLoadBalancingStrategyBody),
  policy("MeshAccessLog", "meshaccesslogs", meshAccessLogBody),
  policy("MeshTLS", "meshtlses", meshTLSBody),
  policy("MeshMetric", "meshmetrics", meshMetricBody),
] as const;

export type ResourceTypeName = (typeof resourceTypes)[number]["name"];
export type PolicyTypeName = Extract<(typeof resourceTypes)[number], { isPolicy: true }>["name"];
/** The body type of a resource type, e.g. `BodyOf<"MeshTimeout">`. */
export type BodyOf<Name extends ResourceTypeName> = z.infer<Extract<(typeof resourceTypes)[number], { name: Name }>["schema"]>;

const byName = new Map<string, ResourceTypeDescriptor>(resourceTypes.map((type) => [type.name, type]));
const byPlural = new Map<string, ResourceTypeDescriptor>(resourceTypes.map((type) => [type.plural, type]));

export const resourceTypeNames = resourceTypes.map((type) => type.name) as ResourceTypeName[];
export const policyTypeNames = resourceTypes.filter((type) => type.isPolicy).map((type) => type.name) as PolicyTypeName[];

export function typeByName(name: string): ResourceTypeDescriptor | undefined {
  return byName.get(name);
}

export function typeByPlural(plural: string): ResourceTypeDescriptor | undefined {
  return byPlural.get(plural);
}
