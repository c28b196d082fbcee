import type { StringMatcher } from "@zonemesh/xds";

/** Compiles an Envoy StringMatcher; safe_regex must match the whole value (RE2 full match). */
export function compileStringMatcher(matcher: StringMatcher): (value: string) => boolean {
  const fold = matcher.ignore_case ? (value: string) => value.toLowerCase() : (value: string) => value;
  if (matcher.exact !== undefined) {
    const exact = fold(matcher.exact);
    return (value) => fold(value) === exact;
  }
  if (matcher.prefix !== undefined) {
    const prefix = fold(matcher.prefix);
    return (value) => fold(value).startsWith(prefix);
  }
  if (matcher.suffix !== undefined) {
    const suffix = fold(matcher.suffix);
    return (value) => fold(value).endsWith(suffix);
  }
  if (matcher.contains !== undefined) {
    const contains = fold(matcher.contains);
    return (value) => fold(value).includes(contains);
  }
  if (matcher.safe_regex !== undefined) {
    const regex = compileFullRegex(matcher.safe_regex.regex);
    return (value) => regex.test(value);
  }
  throw new Error("string matcher has no match condition");
}

export function compileFullRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new Error(`regex ${JSON.stringify(source)} does not compile: ${(error as Error).message}`);
  }
}
