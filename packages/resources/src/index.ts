export {
  resourceTypes,
  resourceTypeNames,
  policyTypeNames,
  typeByName,
  typeByPlural,
  type ResourceTypeDescriptor,
  type ResourceTypeName,
  type PolicyTypeName,
  type ResourceScope,
  type KdsSync,
  type BodyOf,
} from "./registry";
export { DISPLAY_NAME_LABEL, META_FIELDS, displayNameOf, type Resource } from "./resource";
export { parseResource, validateBody, type ParseResult } from "./validation/parse-resource";
export { type FieldError, formatFieldPath } from "./validation/field-error";
export { nameError, metaErrors, MAX_NAME_LENGTH } from "./validation/meta";
export { toWire, type StoredResource } from "./wire";
export { parseDocuments } from "./documents";
export { durationSchema, longDurationSchema, durationToMillis, type Duration } from "./common/duration";
export { accessLogSocketPath } from "./common/access-log-socket";
export { describeSpiffeIdMatches, spiffeIdMatch, spiffeIdMatches, spiffeIdOf, type SpiffeIdMatch } from "./policies/spiffe-id-match";
export { TARGET_REF_KINDS, TOP_LEVEL_KINDS, describeTargetRef, serviceNameOf, type TargetRef, type TargetRefKind, type TagSelectorKind } from "./policies/target-ref";

export { enabledMtlsBackend, meshBody, type MeshBody } from "./types/mesh";
export { dataplaneBody, type DataplaneBody, SERVICE_TAG, PROTOCOL_TAG, ZONE_TAG, PROTOCOLS } from "./types/dataplane";
export { externalServiceAddress, externalServiceBody, type ExternalServiceBody } from "./types/external-service";
export { type DataSource } from "./common/data-source";
export { zoneIngressBody, type ZoneIngressBody } from "./types/zone-ingress";
export { zoneEgressBody, type ZoneEgressBody } from "./types/zone-egress";
export { zoneBody, type ZoneBody } from "./types/zone";
export { secretBody, type SecretBody } from "./types/secret";
export { dataplaneInsightBody, type DataplaneInsightBody } from "./insights/dataplane-insight";
export { zoneInsightBody, type ZoneInsightBody } from "./insights/zone-insight";
export { zoneIngressInsightBody, type ZoneIngressInsightBody } from "./insights/zone-ingress-insight";
export { meshInsightBody, type MeshInsightBody } from "./insights/mesh-insight";

export { meshTrafficPermissionBody, type MeshTrafficPermissionBody } from "./policies/mesh-traffic-permission";
export { meshHTTPRouteBody, type MeshHTTPRouteBody } from "./policies/mesh-http-route";
export { meshTCPRouteBody, type MeshTCPRouteBody } from "./policies/mesh-tcp-route";
export { meshTimeoutBody, type MeshTimeoutBody } from "./policies/mesh-timeout";
export { meshRetryBody, type MeshRetryBody } from "./policies/mesh-retry";
export { meshCircuitBreakerBody, type MeshCircuitBreakerBody } from "./policies/mesh-circuit-breaker";
export { meshHealthCheckBody, type MeshHealthCheckBody } from "./policies/mesh-health-check";
export { meshFaultInjectionBody, type MeshFaultInjectionBody } from "./policies/mesh-fault-injection";
export { meshRateLimitBody, type MeshRateLimitBody } from "./policies/mesh-rate-limit";
export { meshLoadBalancingStrategyBody, type MeshLoadBalancingStrategyBody } from "./policies/mesh-load-balancing-strategy";
export { meshAccessLogBody, type MeshAccessLogBody } from "./policies/mesh-access-log";
export { meshMetricBody, type MeshMetricBody } from "./policies/mesh-metric";
export { meshTLSBody, TLS_CIPHERS, TLS_VERSIONS, type MeshTLSBody, type TlsVersion } from "./policies/mesh-tls";

export { dataplaneTags, tagsMatch, type Tags, type InboundTags } from "./matcher/tags";
export {
  selectsDataplane,
  inboundsSelectedBy,
  dataplanesForPolicy,
  policiesForDataplane,
  comparePolicies,
  targetRefTags,
  referencedRoute,
} from "./matcher/select";
export { ROUTE_MATCHES_TAG, routeMatchesHash } from "./matcher/route-matches";
export { type PolicySpec, type PolicyResource, type PolicyRef } from "./matcher/policy";
export { mergePatch, mergeConfs } from "./matcher/merge";
export { buildRules, computeRule, type Rule, type Matcher, type PolicyItem } from "./matcher/subset-rules";
export {
  rulesForDataplane,
  toConfFor,
  fromConfFor,
  inboundConfFor,
  type DataplaneRules,
  type PolicyTypeRules,
  type InboundFromRules,
  type InboundConf,
  type InboundMatchedRule,
} from "./matcher/dataplane-rules";
