import type { SpiffeIdMatch } from "@zonemesh/resources";
import { typeNames, typed, type HeaderMatcher, type HttpFault, type HttpFilter } from "@zonemesh/xds";
import { callerTagsMatcher, escapeRegex } from "./caller-tags";
import { kumaDuration, percentage } from "./envoy-values";
import type { FaultInjectionConf } from "./policy-confs";
import type { FromRule, InboundPolicies } from "./resolved-policies";

const bandwidthKbps: Record<string, number> = { gbps: 1_000_000, mbps: 1000, kbps: 1, bps: 0.001 };

function fault(entry: NonNullable<FaultInjectionConf["http"]>[number]): HttpFault {
  const bandwidth = entry.responseBandwidth && /^(\d+)([a-z]+)$/i.exec(entry.responseBandwidth.limit);
  return {
    ...(entry.delay ? { delay: { fixed_delay: kumaDuration(entry.delay.value), percentage: percentage(entry.delay.percentage) } } : {}),
    ...(entry.abort ? { abort: { http_status: entry.abort.httpStatus, percentage: percentage(entry.abort.percentage) } } : {}),
    ...(bandwidth && entry.responseBandwidth
      ? {
          response_rate_limit: {
            fixed_limit: { limit_kbps: Math.max(1, Math.round(Number(bandwidth[1]) * (bandwidthKbps[(bandwidth[2] as string).toLowerCase()] ?? 1))) },
            percentage: percentage(entry.responseBandwidth.percentage),
          },
        }
      : {}),
  };
}

const faultFilter = (entry: NonNullable<FaultInjectionConf["http"]>[number], headers: HeaderMatcher[]): HttpFilter => ({
  name: "envoy.filters.http.fault",
  typed_config: typed(typeNames.httpFault, { ...fault(entry), ...(headers.length > 0 ? { headers } : {}) }),
});

/**
 * The callers of these SPIFFE IDs, by the x-forwarded-client-cert the inbound's connection manager sets from their
 * verified certificate (`...;URI=spiffe://<mesh>/<service>`) before any filter runs.
 */
function spiffeIdMatcher(matches: SpiffeIdMatch[]): HeaderMatcher {
  const ids = matches.map(({ spiffeID }) => escapeRegex(spiffeID.value) + (spiffeID.type === "Prefix" ? "[^;,]*" : ""));
  return { name: "x-forwarded-client-cert", string_match: { safe_regex: { regex: `.*URI=(?:${ids.join("|")})(?:[;,].*)?` } } };
}

/**
 * MeshFaultInjection `from` rules as HTTP fault filters on the inbound, one per fault, before the router (as Kuma
 * does). A rule for some callers matches their x-kuma-tags; as a caller gets the first rule it matches, each rule's
 * faults also skip the callers of the rules before it. Rules picking callers by SPIFFE ID (only with mTLS, where the
 * identity is verified) follow, each for its own callers.
 */
export function faultFilters(rules: FromRule<FaultInjectionConf>[], bySpiffeId: InboundPolicies["faultInjectionBySpiffeId"] = []): HttpFilter[] {
  const byTags = rules.flatMap((rule, index) => {
    const headers = [...(rule.matchers.length > 0 ? [callerTagsMatcher(rule.matchers)] : []), ...rules.slice(0, index).map((earlier) => callerTagsMatcher(earlier.matchers, true))];
    return (rule.conf.http ?? []).map((entry) => faultFilter(entry, headers));
  });
  return [...byTags, ...bySpiffeId.flatMap((rule) => (rule.conf.http ?? []).map((entry) => faultFilter(entry, [spiffeIdMatcher(rule.matches)])))];
}
