import type { HeaderMatcher } from "@zonemesh/xds";
import { compileStringMatcher } from "./string-matcher";

/** Request headers as the matchers see them, pseudo-headers (":method", ":path", ":authority") included. */
export type HeaderLookup = (name: string) => string | undefined;

export function compileHeaderMatcher(matcher: HeaderMatcher): (headers: HeaderLookup) => boolean {
  const name = matcher.name.toLowerCase();
  const test =
    matcher.string_match !== undefined
      ? compileStringMatcher(matcher.string_match)
      : matcher.present_match !== undefined
        ? () => matcher.present_match === true
        : () => true;
  const invert = matcher.invert_match === true;
  return (headers) => {
    const value = headers(name);
    const matched = value === undefined ? matcher.present_match === false : test(value);
    return matched !== invert;
  };
}
