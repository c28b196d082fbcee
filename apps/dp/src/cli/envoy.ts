import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { ADMIN_PORT_METADATA } from "../ads/dp-node";

/** The `envoy` executable on PATH, if any. */
export function findEnvoy(path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "envoy");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** An Envoy v3 bootstrap that takes everything over ADS from the zone CP, as kuma-dp writes it. */
export function envoyBootstrap(options: { nodeId: string; cpAddress: string; token: string | undefined; adminPort: number }): object {
  const [host, port] = [options.cpAddress.slice(0, options.cpAddress.lastIndexOf(":")), Number(options.cpAddress.slice(options.cpAddress.lastIndexOf(":") + 1))];
  const ads = { ads: {}, resource_api_version: "V3" };
  return {
    node: { id: options.nodeId, cluster: options.nodeId, metadata: { [ADMIN_PORT_METADATA]: options.adminPort } },
    admin: { address: { socket_address: { address: "127.0.0.1", port_value: options.adminPort } } },
    dynamic_resources: {
      ads_config: {
        api_type: "GRPC",
        transport_api_version: "V3",
        grpc_services: [{ envoy_grpc: { cluster_name: "ads_cluster" }, ...(options.token ? { initial_metadata: [{ key: "authorization", value: `Bearer ${options.token}` }] } : {}) }],
      },
      lds_config: ads,
      cds_config: ads,
    },
    static_resources: {
      clusters: [
        {
          name: "ads_cluster",
          type: "STRICT_DNS",
          connect_timeout: "1s",
          typed_extension_protocol_options: {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": { "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions", explicit_http_config: { http2_protocol_options: {} } },
          },
          load_assignment: { cluster_name: "ads_cluster", endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: host, port_value: port } } } }] }] },
        },
      ],
    },
  };
}

/** Writes the bootstrap and runs Envoy on it; resolves with Envoy's exit code. */
export function runEnvoy(envoy: string, bootstrap: object): Promise<number> {
  const file = join(mkdtempSync(join(tmpdir(), "zonemesh-dp-")), "bootstrap.json");
  writeFileSync(file, JSON.stringify(bootstrap, null, 2));
  const child = spawn(envoy, ["-c", file, "--drain-time-s", "5"], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}
