import { envoyRoot, typeNames, typed, type Filter, type HttpFilter, type HttpLocalRateLimit, type NetworkLocalRateLimit } from "@zonemesh/xds";
import { durationToMillis } from "@zonemesh/resources";
import { envoyDuration } from "./envoy-values";
import { headerValueOptions } from "./header-values";
import type { Warn } from "./input";
import type { RateLimitConf } from "./policy-confs";
import type { FromRule } from "./resolved-policies";

const everyRequest = { default_value: { numerator: 100 }, runtime_key: "local_rate_limit_enabled" };
const statusCodes = envoyRoot.lookupEnum("envoy.type.v3.StatusCode");

function tokenBucket(rate: { num: number; interval: string }) {
  return { max_tokens: rate.num, tokens_per_fill: { value: rate.num }, fill_interval: envoyDuration(durationToMillis(rate.interval)) };
}

/** The conf of the one rule for every caller (MeshRateLimit's `from` only allows kind Mesh). */
function meshWideConf(rules: FromRule<RateLimitConf>[]): FromRule<RateLimitConf> | undefined {
  return rules.find((rule) => rule.matchers.length === 0);
}

/** MeshRateLimit `local.http` as a local_ratelimit HTTP filter on the inbound. */
export function httpRateLimitFilters(rules: FromRule<RateLimitConf>[], warn: Warn): HttpFilter[] {
  const rule = meshWideConf(rules);
  const http = rule?.conf.local?.http;
  if (!rule || !http?.requestRate || http.disabled) return [];
  const config: HttpLocalRateLimit = { stat_prefix: "rate_limit", token_bucket: tokenBucket(http.requestRate), filter_enabled: everyRequest, filter_enforced: everyRequest };
  const status = http.onRateLimit?.status;
  if (status !== undefined) {
    const code = statusCodes.valuesById[status];
    if (code) config.status = { code };
    else warn(rule.origins, `onRateLimit.status ${status} is not an HTTP status Envoy can send`);
  }
  const headers = headerValueOptions(http.onRateLimit?.headers ?? {});
  if (headers.length > 0) config.response_headers_to_add = headers;
  return [{ name: "envoy.filters.http.local_ratelimit", typed_config: typed(typeNames.httpLocalRateLimit, config) }];
}

/** MeshRateLimit `local.tcp` as a local_ratelimit network filter (new connections per interval). */
export function tcpRateLimitFilters(rules: FromRule<RateLimitConf>[]): Filter[] {
  const tcp = meshWideConf(rules)?.conf.local?.tcp;
  if (!tcp?.connectionRate || tcp.disabled) return [];
  const { max_tokens, tokens_per_fill, fill_interval } = tokenBucket(tcp.connectionRate);
  const config: NetworkLocalRateLimit = { stat_prefix: "rate_limit", token_bucket: { max_tokens, tokens_per_fill, fill_interval } };
  return [{ name: "envoy.filters.network.local_ratelimit", typed_config: typed(typeNames.networkLocalRateLimit, config) }];
}
