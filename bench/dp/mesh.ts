// The real setup the bench measures through: a standalone CP process, mesh "default" with builtin mTLS and an
// allow-all MeshTrafficPermission, and two `zonemesh-dp run` processes on the built-in engine (PATH emptied):
// client-1 with explicit outbounds to backend (HTTP) and echo (TCP), backend-1 with their inbounds.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { call } from "@zonemesh/cp/testing";
import { freePort } from "@zonemesh/testing";
import { startCpProcess, type CpProcess } from "../../apps/cp/src/testing/cp-process";
import { apply } from "../../apps/cp/src/testing/multizone";
import { GrpcEchoClient } from "../../apps/dp/src/testing/grpc-echo";
import type { BenchBackends } from "./backends";

const defaultDpBin = fileURLToPath(new URL("../../apps/dp/bin/zonemesh-dp.mjs", import.meta.url));

export interface BenchMesh {
  /** Client-side outbound ports: requests sent there go client dp -> (mTLS) -> backend dp -> workload. */
  httpOutbound: number;
  tcpOutbound: number;
  grpcOutbound: number;
  dpPids: number[];
  /** Admin ports of the backend dp and the client dp. */
  adminPorts: number[];
  stop(): Promise<void>;
}

interface DpProcess {
  child: ChildProcess;
  adminPort: number;
  output(): string;
}

function startDp(cp: CpProcess, dir: string, name: string, yaml: string, token: string, options: DpOptions): Promise<DpProcess> {
  writeFileSync(join(dir, `${name}.yaml`), yaml);
  writeFileSync(join(dir, `${name}.token`), token);
  return freePort().then((adminPort) => {
    const args = ["run", "--cp-address", cp.xdsAddress, "--cp-api-url", cp.apiUrl, "--dataplane-file", join(dir, `${name}.yaml`), "--dataplane-token-file", join(dir, `${name}.token`), "--admin-port", String(adminPort)];
    // An empty PATH keeps a real envoy, if one were installed, out: the built-in engine is what is measured.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.dpBin ?? defaultDpBin, ...args], { env: { ...process.env, PATH: "" }, stdio: ["ignore", "ignore", "pipe"] });
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return { child, adminPort, output: () => output };
  });
}

async function untilAnswered(what: string, probe: () => Promise<boolean>, describe: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} never answered through the proxies:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function tcpEchoes(port: number): Promise<boolean> {
  return import("node:net").then(
    (net) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write("ping"));
        socket.once("data", (chunk) => {
          resolve(chunk.toString() === "ping");
          socket.destroy();
        });
        socket.once("error", () => resolve(false));
        socket.once("close", () => resolve(false));
      }),
  );
}

export interface DpOptions {
  /** Given to both dp processes' node (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Another checkout's zonemesh-dp.mjs, to compare engine versions back to back. */
  dpBin?: string;
}

export async function startBenchMesh(backends: BenchBackends, options: DpOptions = {}): Promise<BenchMesh> {
  const cp = await startCpProcess({ mode: "standalone" });
  const dir = mkdtempSync(join(tmpdir(), "zonemesh-bench-dp-"));
  const dps: DpProcess[] = [];
  const [httpInbound, tcpInbound, grpcInbound, clientInbound, httpOutbound, tcpOutbound, grpcOutbound] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const stop = async () => {
    await Promise.all(
      dps.map(({ child }) => (child.exitCode !== null ? undefined : new Promise((resolve) => (child.once("exit", resolve), child.kill("SIGTERM"))))),
    );
    await cp.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await apply(cp, "meshes", { type: "Mesh", name: "default", mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin" }] } });
    await apply(cp, "meshtrafficpermissions", {
      type: "MeshTrafficPermission",
      mesh: "default",
      name: "allow-all",
      spec: { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] },
    });
    const token = async (name: string) => {
      const response = await call(cp.apiUrl, "POST", "/tokens/dataplane", { body: { mesh: "default", name } });
      if (response.status !== 200) throw new Error(`dataplane token for ${name}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as string;
    };
    const backendYaml = `type: Dataplane
mesh: default
name: backend-1
networking:
  address: 127.0.0.1
  inbound:
  - port: ${httpInbound}
    servicePort: ${backends.httpPort}
    tags: { kuma.io/service: backend, kuma.io/protocol: http }
  - port: ${tcpInbound}
    servicePort: ${backends.echoPort}
    tags: { kuma.io/service: echo, kuma.io/protocol: tcp }
  - port: ${grpcInbound}
    servicePort: ${backends.grpcPort}
    tags: { kuma.io/service: echo-grpc, kuma.io/protocol: grpc }
`;
    const clientYaml = `type: Dataplane
mesh: default
name: client-1
networking:
  address: 127.0.0.1
  inbound:
  - port: ${clientInbound}
    servicePort: ${await freePort()}
    tags: { kuma.io/service: client, kuma.io/protocol: http }
  outbound:
  - port: ${httpOutbound}
    tags: { kuma.io/service: backend }
  - port: ${tcpOutbound}
    tags: { kuma.io/service: echo }
  - port: ${grpcOutbound}
    tags: { kuma.io/service: echo-grpc }
`;
    dps.push(await startDp(cp, dir, "backend-1", backendYaml, await token("backend-1"), options));
    dps.push(await startDp(cp, dir, "client-1", clientYaml, await token("client-1"), options));
    const describe = () => dps.map((dp, i) => `--- dp ${i} (exit ${dp.child.exitCode}):\n${dp.output().slice(-3000)}`).join("\n");
    await untilAnswered("HTTP outbound", async () => (await fetch(`http://127.0.0.1:${httpOutbound}/`)).status === 200, describe);
    await untilAnswered("TCP outbound", () => tcpEchoes(tcpOutbound), describe);
    const grpcClient = new GrpcEchoClient(`127.0.0.1:${grpcOutbound}`);
    await untilAnswered("gRPC outbound", async () => (await grpcClient.unary("ping", "bench")).startsWith("echo ping"), describe).finally(() => grpcClient.close());
  } catch (error) {
    await stop();
    throw error;
  }
  return { httpOutbound, tcpOutbound, grpcOutbound, dpPids: dps.map(({ child }) => child.pid!), adminPorts: dps.map(({ adminPort }) => adminPort), stop };
}
