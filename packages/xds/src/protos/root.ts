import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import protobuf from "protobufjs";

// grpc-js-xds ships Envoy's API protos with their dependencies; we load them from there
// rather than vendoring a copy.
const require = createRequire(import.meta.url);
const depsDir = join(dirname(require.resolve("@grpc/grpc-js-xds/package.json")), "deps");

export const protoIncludeDirs = [
  ...["envoy-api", "xds", "googleapis", "protoc-gen-validate"].map((dir) => join(depsDir, dir)),
  // google/protobuf/descriptor.proto (needed by the validate and udpa annotations) is not in deps/.
  dirname(require.resolve("protobufjs/package.json")),
];

/** Every .proto whose messages zonemesh builds or may meet inside an Any. */
const resourceProtoFiles = [
  "envoy/config/listener/v3/listener.proto",
  "envoy/config/cluster/v3/cluster.proto",
  "envoy/config/endpoint/v3/endpoint.proto",
  "envoy/config/route/v3/route.proto",
  "envoy/extensions/transport_sockets/tls/v3/secret.proto",
  "envoy/extensions/transport_sockets/tls/v3/tls.proto",
  "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto",
  "envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto",
  "envoy/extensions/filters/network/rbac/v3/rbac.proto",
  "envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit.proto",
  // Not built by zonemesh: a filter another control plane may send, which a dp must decode to refuse by name.
  "envoy/extensions/filters/network/connection_limit/v3/connection_limit.proto",
  "envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto",
  "envoy/extensions/filters/http/router/v3/router.proto",
  "envoy/extensions/filters/http/rbac/v3/rbac.proto",
  "envoy/extensions/filters/http/fault/v3/fault.proto",
  "envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto",
  "envoy/extensions/access_loggers/file/v3/file.proto",
  "envoy/extensions/upstreams/http/v3/http_protocol_options.proto",
  "envoy/extensions/retry/host/previous_hosts/v3/previous_hosts.proto",
  "envoy/extensions/retry/host/omit_host_metadata/v3/omit_host_metadata_config.proto",
  "envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config.proto",
];

export const adsProtoFile = "envoy/service/discovery/v3/ads.proto";

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const dir of protoIncludeDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return target;
  };
  root.loadSync(resourceProtoFiles, { keepCase: true });
  root.resolveAll();
  return root;
}

/** The protobufjs Root holding Envoy's v3 resource and filter types (field names as in the .proto, snake_case). */
export const envoyRoot = loadRoot();
