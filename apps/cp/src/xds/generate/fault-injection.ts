import { typeNames, typed, type HttpFault, type HttpFilter } from "@zonemesh/xds";
import { kumaDuration, percentage } from "./envoy-values";
import type { Warn } from "./input";
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

/** MeshFaultInjection `from` rules as HTTP fault filters on the inbound, one per fault, before the router (as Kuma does). */
export function faultFilters(rules: FromRule<FaultInjectionConf>[], warn: Warn): HttpFilter[] {
  const filters: HttpFilter[] = [];
  for (const rule of rules) {
    if (rule.matchers.length > 0) {
      warn(rule.origins, "fault injection for a subset of callers is not supported, only for every caller (from kind Mesh)");
      continue;
    }
    for (const entry of rule.conf.http ?? []) {
      filters.push({ name: "envoy.filters.http.fault", typed_config: typed(typeNames.httpFault, fault(entry)) });
    }
  }
  return filters;
}
