import { typeNames, typed, type HttpFault, type HttpFilter } from "@zonemesh/xds";
import { callerTagsMatcher } from "./caller-tags";
import { kumaDuration, percentage } from "./envoy-values";
import type { FaultInjectionConf } from "./policy-confs";
import type { FromRule } from "./resolved-policies";

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

/**
 * MeshFaultInjection `from` rules as HTTP fault filters on the inbound, one per fault, before the router (as Kuma
 * does). A rule for some callers matches their x-kuma-tags; as a caller gets the first rule it matches, each rule's
 * faults also skip the callers of the rules before it.
 */
export function faultFilters(rules: FromRule<FaultInjectionConf>[]): HttpFilter[] {
  return rules.flatMap((rule, index) => {
    const headers = [...(rule.matchers.length > 0 ? [callerTagsMatcher(rule.matchers)] : []), ...rules.slice(0, index).map((earlier) => callerTagsMatcher(earlier.matchers, true))];
    return (rule.conf.http ?? []).map((entry) => ({ name: "envoy.filters.http.fault", typed_config: typed(typeNames.httpFault, { ...fault(entry), ...(headers.length > 0 ? { headers } : {}) }) }));
  });
}
