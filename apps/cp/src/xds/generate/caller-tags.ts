import { dataplaneTags, type DataplaneBody, type Matcher, type Resource } from "@zonemesh/resources";
import type { HeaderMatcher, HeaderValueOption, RouteConfiguration } from "@zonemesh/xds";

// Kuma's x-kuma-tags: a caller's outbound requests carry its tags, so that the destination's inbound can tell callers
// apart where only HTTP filters run (MeshFaultInjection `from` a subset of callers). The caller's proxy sets it,
// replacing whatever its application sent; the destination's proxy removes it once its filters have run, as Kuma's.
const header = "x-kuma-tags";

/** On an inbound route configuration: the application behind it does not get the header. */
export const callerTagsRemoved: Pick<RouteConfiguration, "request_headers_to_remove"> = { request_headers_to_remove: [header] };

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every value each tag has on the dataplane's inbounds, in their order. */
export function callerTagValues(dataplane: Resource<DataplaneBody>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const { tags } of dataplaneTags(dataplane)) {
    for (const [name, value] of Object.entries(tags)) {
      const seen = values.get(name) ?? [];
      if (!seen.includes(value)) values.set(name, [...seen, value]);
    }
  }
  return values;
}

/** The header's value: `&name=value1,value2&` for every tag of the caller, names and values sorted. */
export function callerTagsValue(values: Map<string, string[]>): string {
  return [...values.keys()]
    .sort(byCodeUnit)
    .map((name) => `&${name}=${[...(values.get(name) as string[])].sort(byCodeUnit).join(",")}&`)
    .join("");
}

/** An outbound route configuration whose requests carry the caller's tags (shared configurations are not changed). */
export function withCallerTags(route: RouteConfiguration, value: string): RouteConfiguration {
  const tags: HeaderValueOption = { header: { key: header, value }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" };
  return { ...route, request_headers_to_add: [...(route.request_headers_to_add ?? []), tags] };
}

export const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/**
 * Matches requests from callers having every tag of `matchers` (a value among a tag's values; "*": any value), or,
 * `inverted`, from every other caller and from requests without the header.
 */
export function callerTagsMatcher(matchers: Matcher[], inverted = false): HeaderMatcher {
  const tags = [...matchers]
    .sort((a, b) => byCodeUnit(a.key, b.key))
    .map(({ key, value }) => `&${escapeRegex(key)}=${value === "*" ? "[^&]*" : `([^&]*,)?${escapeRegex(value)}(,[^&]*)?`}&`);
  return { name: header, string_match: { safe_regex: { regex: `.*${tags.join(".*")}.*` } }, ...(inverted ? { invert_match: true } : {}) };
}
