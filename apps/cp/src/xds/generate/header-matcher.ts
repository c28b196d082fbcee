import type { HeaderMatcher } from "@zonemesh/xds";

/** Kuma's header match (Exact by default, Prefix, RegularExpression, Present, Absent) as an Envoy HeaderMatcher. */
export function headerMatcher(header: { type?: string; name: string; value?: string }): HeaderMatcher {
  const value = header.value ?? "";
  switch (header.type ?? "Exact") {
    case "Present":
      return { name: header.name, present_match: true };
    case "Absent":
      return { name: header.name, present_match: true, invert_match: true };
    case "Prefix":
      return { name: header.name, string_match: { prefix: value } };
    case "RegularExpression":
      return { name: header.name, string_match: { safe_regex: { regex: value } } };
    default:
      return { name: header.name, string_match: { exact: value } };
  }
}
