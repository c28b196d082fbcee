import type { Duration } from "@zonemesh/xds";
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
    ...(http.maxStreamDuration ? { maxStreamDuration: kumaDuration(http.maxStreamDuration) } : {}),
    ...(http.maxConnectionDuration ? { maxConnectionDuration: kumaDuration(http.maxConnectionDuration) } : {}),
  };
}

const defaultTimeouts = timeoutsOf({});
