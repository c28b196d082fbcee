import { typeNames, type RetryPolicy } from "@zonemesh/xds";
import type { ClusterRuntime } from "../cluster";
import type { UpstreamEndpoint } from "../endpoints";
import { lbMetadataOf, matchesLbMetadata } from "../lb-metadata";
import { typeNameOf } from "../type-name";

type HostPredicate = (endpoint: UpstreamEndpoint, attempted: readonly UpstreamEndpoint[]) => boolean;

/** A retry policy's host predicates (hosts a retry redraws from) and retry priority (priorities it skips). */
export interface HostSelection {
  /** True when a predicate rejects the host for a retry of a request that went to `attempted`. */
  rejects: HostPredicate;
  /** Redraws of a rejected host before the last one drawn is used anyway (host_selection_retry_max_attempts). */
  maxRedraws: number;
  /** previous_priorities' update_frequency: every this many attempts, the priorities tried so far are skipped. */
  priorityUpdateFrequency: number | undefined;
}

function compilePredicate({ typed_config: config }: NonNullable<RetryPolicy["retry_host_predicate"]>[number]): HostPredicate {
  switch (typeNameOf(config)) {
    case typeNames.previousHostsPredicate:
      return (endpoint, attempted) => attempted.includes(endpoint);
    case typeNames.omitHostMetadata: {
      const match = lbMetadataOf((config as { metadata_match?: Parameters<typeof lbMetadataOf>[0] }).metadata_match);
      return (endpoint) => matchesLbMetadata(endpoint.lbMetadata, match);
    }
    default:
      throw new Error(`retry_host_predicate ${typeNameOf(config)} is not supported`);
  }
}

export function compileHostSelection(policy: RetryPolicy): HostSelection | undefined {
  const predicates = (policy.retry_host_predicate ?? []).map(compilePredicate);
  const priority = policy.retry_priority?.typed_config;
  if (priority && typeNameOf(priority) !== typeNames.previousPriorities) throw new Error(`retry_priority ${typeNameOf(priority)} is not supported`);
  const updateFrequency = priority ? (priority as { update_frequency?: number }).update_frequency : undefined;
  if (priority && !(updateFrequency !== undefined && updateFrequency > 0)) throw new Error("retry_priority previous_priorities: update_frequency must be greater than 0");
  if (predicates.length === 0 && !priority) return undefined;
  return {
    rejects: (endpoint, attempted) => predicates.some((rejects) => rejects(endpoint, attempted)),
    maxRedraws: Number(policy.host_selection_retry_max_attempts ?? 1),
    priorityUpdateFrequency: updateFrequency,
  };
}

/**
 * The hosts one request has gone to, and where its next attempt goes: the first by the load balancer (with the
 * request's hash), a retry elsewhere than the previous host, redrawn while a host predicate rejects it, and within
 * the priorities not yet tried when previous_priorities says so.
 */
export class AttemptTargets {
  readonly #attempted: UpstreamEndpoint[] = [];
  #skippedPriorities: ReadonlySet<number> | undefined;

  constructor(private readonly selection: HostSelection | undefined) {}

  next(cluster: ClusterRuntime, hash: number | undefined): UpstreamEndpoint | undefined {
    const previous = this.#attempted.at(-1);
    if (!previous) return cluster.pick(undefined, hash);
    let endpoint = cluster.pick(previous, undefined, this.#skippedPriorities);
    if (!this.selection) return endpoint;
    for (let redraw = 0; endpoint && redraw < this.selection.maxRedraws && this.selection.rejects(endpoint, this.#attempted); redraw++) {
      endpoint = cluster.pick(previous, undefined, this.#skippedPriorities);
    }
    return endpoint;
  }

  attempted(endpoint: UpstreamEndpoint): void {
    this.#attempted.push(endpoint);
    const frequency = this.selection?.priorityUpdateFrequency;
    if (frequency && this.#attempted.length % frequency === 0) this.#skippedPriorities = new Set(this.#attempted.map((tried) => tried.priority));
  }
}
