import { durationToMillis } from "@zonemesh/resources";
import { typeNames, typed, type Address, type ConfigSource, type Duration, type FractionalPercent, type HttpFilter, type Metadata } from "@zonemesh/xds";

// Small Envoy values shared by the builders. Zero/default fields are left out, as protobuf would drop them:
// what we generate is then exactly what a proxy reads back.

export const adsConfigSource: ConfigSource = { ads: {}, resource_api_version: "V3" };

/** The last HTTP filter of every connection manager: it sends the request to the route's cluster. */
export const routerFilter: HttpFilter = { name: "envoy.filters.http.router", typed_config: typed(typeNames.router, {}) };

export function socketAddress(address: string, port: number): Address {
  return { socket_address: { address, port_value: port } };
}

export function envoyDuration(millis: number): Duration {
  const seconds = Math.floor(millis / 1000);
  const nanos = Math.round((millis - seconds * 1000) * 1e6);
  return { ...(seconds ? { seconds } : {}), ...(nanos ? { nanos } : {}) };
}

/** A Kuma duration string ("5s", "1m30s") as an Envoy Duration. */
export const kumaDuration = (value: string): Duration => envoyDuration(durationToMillis(value));

/** Kuma's 0-100 percentages (number or decimal string) as a fraction per million, exact to 4 decimals. */
export function percentage(value: number | string): FractionalPercent {
  return { numerator: Math.round(Number(value) * 10_000), denominator: "MILLION" };
}

/** The object without its undefined fields, so that it equals what protobuf decodes. */
export function definedFields<T extends object>(fields: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** Tags as Envoy's load-balancer metadata (filter_metadata "envoy.lb"), as Kuma writes them on endpoints; sorted by name. */
export function lbMetadata(tags: Record<string, string>): Metadata {
  const fields = Object.fromEntries(Object.keys(tags).sort().map((name) => [name, { stringValue: tags[name] as string }]));
  return { filter_metadata: { "envoy.lb": { fields } } };
}
