import type http from "node:http";
import type { HeaderValueOption } from "@zonemesh/xds";

export type HeaderMap = Record<string, string | string[]>;

/** Connection-specific headers a proxy never forwards (RFC 9110 7.6.1). */
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export function forwardableHeaders(headers: http.IncomingHttpHeaders): HeaderMap {
  const result: HeaderMap = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !hopByHop.has(name)) result[name] = value;
  }
  return result;
}

/** The same for a flat [name, value, ...] list as received (names in any case). */
export function forwardableRawHeaders(rawHeaders: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    if (!hopByHop.has(name.toLowerCase())) result.push(name, rawHeaders[index + 1] as string);
  }
  return result;
}

/**
 * Headers for an HTTP/2 frame: lower-case names (HTTP/2 requires them), repeats as lists, without the connection-specific
 * ones HTTP/2 forbids, nor host (:authority carries it).
 */
export function http2Fields(headers: HeaderMap | readonly string[]): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[]) => {
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || lower === "host") return;
    const existing = result[lower];
    result[lower] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), ...(Array.isArray(value) ? value : [value])];
  };
  if (Array.isArray(headers)) for (let index = 0; index < headers.length; index += 2) add(headers[index] as string, headers[index + 1] as string);
  else for (const name in headers as HeaderMap) add(name, (headers as HeaderMap)[name] as string | string[]);
  return result;
}

/** A lookup by lower-case name in a flat [name, value, ...] list as received (the first value of a repeated header). */
export function rawHeaderLookup(rawHeaders: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    for (let index = 0; index < rawHeaders.length; index += 2) if ((rawHeaders[index] as string).toLowerCase() === name) return rawHeaders[index + 1];
    return undefined;
  };
}

/** A flat list as a map by lower-case name; a repeated header becomes a list of its values. */
export function headerMapOf(rawHeaders: readonly string[]): HeaderMap {
  const result: HeaderMap = {};
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    const value = rawHeaders[index + 1] as string;
    const existing = result[name];
    result[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return result;
}

export function applyHeaderChanges(headers: HeaderMap, add: readonly HeaderValueOption[] | undefined, remove: readonly string[] | undefined): void {
  for (const name of remove ?? []) delete headers[name.toLowerCase()];
  for (const option of add ?? []) {
    const name = option.header.key.toLowerCase();
    const value = option.header.value ?? "";
    const existing = headers[name];
    switch (option.append_action ?? "APPEND_IF_EXISTS_OR_ADD") {
      case "APPEND_IF_EXISTS_OR_ADD":
        headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
        break;
      case "ADD_IF_ABSENT":
        if (existing === undefined) headers[name] = value;
        break;
      case "OVERWRITE_IF_EXISTS_OR_ADD":
        headers[name] = value;
        break;
      case "OVERWRITE_IF_EXISTS":
        if (existing !== undefined) headers[name] = value;
        break;
    }
  }
}
