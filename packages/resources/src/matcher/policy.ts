import type { TargetRef } from "../policies/target-ref";
import type { Resource } from "../resource";

/** What the matcher reads of any targetRef policy, whatever its type. */
export interface PolicySpec {
  targetRef?: TargetRef;
  from?: { targetRef: TargetRef; default: object }[];
  /** Route policies carry `rules` (and `hostnames`) instead of `default`. */
  to?: { targetRef: TargetRef; default?: object; rules?: { matches?: object[]; default: object }[]; hostnames?: string[] }[];
  /** Inbound rules; MeshFaultInjection's may pick callers by SPIFFE ID (`matches`). */
  rules?: { matches?: object[]; default: object }[];
  /** Single-item policies (MeshMetric): one conf for the whole proxy. */
  default?: object;
}

export type PolicyResource = Resource<{ spec: PolicySpec }>;

export interface PolicyRef {
  type: string;
  mesh: string;
  name: string;
}

export function policyRef(policy: PolicyResource): PolicyRef {
  return { type: policy.type, mesh: policy.mesh, name: policy.name };
}
