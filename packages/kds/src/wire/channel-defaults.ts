import type { ChannelOptions } from "@grpc/grpc-js";

/** gRPC options both ends use unless overridden. */
export const channelDefaults: ChannelOptions = {
  // A zone behind NAT can vanish without a FIN; pings find that out in seconds instead of a TCP timeout.
  "grpc.keepalive_time_ms": 20_000,
  "grpc.keepalive_timeout_ms": 10_000,
  "grpc.keepalive_permit_without_calls": 1,
  // The first sync of a type is one response holding all its resources (thousands of dataplanes).
  "grpc.max_receive_message_length": 256 * 1024 * 1024,
};
