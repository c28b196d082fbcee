import { durationToMillis } from "@zonemesh/resources";
import type { Duration, RouteAction } from "@zonemesh/xds";
import { kumaDuration } from "./envoy-values";
import type { TimeoutConf } from "./policy-confs";
import type { Merged } from "./resolved-policies";

/** Kuma's defaults (its default MeshTimeout policies), used where no MeshTimeout sets a value. */
const defaults = { connectionTimeout: "5s", idleTimeout: "1h", requestTimeout: "15s", streamIdleTimeout: "30m" };

export interface Timeouts {
  connect: Duration;
  idle: Duration;
  request: Duration;
  streamIdle: Duration;
  maxStreamDuration?: Duration;
  maxConnectionDuration?: Duration;
  /** The time a request's headers may take to arrive, from its first byte (HCM request_headers_timeout). */
  requestHeaders?: Duration;
}

export function timeouts(merged: Merged<TimeoutConf> | undefined): Timeouts {
  return merged ? timeoutsOf(merged.conf) : defaultTimeouts;
}

function timeoutsOf(conf: TimeoutConf): Timeouts {
  const http = conf.http ?? {};
  return {
    connect: kumaDuration(conf.connectionTimeout ?? defaults.connectionTimeout),
    idle: kumaDuration(conf.idleTimeout ?? defaults.idleTimeout),
    request: kumaDuration(http.requestTimeout ?? defaults.requestTimeout),
    streamIdle: kumaDuration(http.streamIdleTimeout ?? defaults.streamIdleTimeout),
    ...limit("maxStreamDuration", http.maxStreamDuration),
    ...limit("maxConnectionDuration", http.maxConnectionDuration),
    ...limit("requestHeaders", http.requestHeadersTimeout),
  };
}

/** Kuma's maximum durations and the headers timeout: "0 disables it", as leaving them out does. */
function limit<Name extends string>(name: Name, value: string | undefined): Partial<Record<Name, Duration>> {
  return value && durationToMillis(value) > 0 ? ({ [name]: kumaDuration(value) } as Record<Name, Duration>) : {};
}

const defaultTimeouts = timeoutsOf({});

/** A route's max_stream_duration, when a duration bounds its streams. */
export function maxStreamDuration(duration: Duration | undefined): Pick<RouteAction, "max_stream_duration"> {
  return duration ? { max_stream_duration: { max_stream_duration: duration } } : {};
}
