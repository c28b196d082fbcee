// A real `zonemesh-dp run` process (built-in engine) registered with a zone CP.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CpProcess } from "@zonemesh/cp/testing/cp-process";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { freePort } from "@zonemesh/testing";
import { trackChild, untrackChild } from "./child-registry";

const dpBin = fileURLToPath(new URL("../../bin/zonemesh-dp.mjs", import.meta.resolve("@zonemesh/dp/testing/backends")));

export interface DataplaneProcessOptions {
  /** The zone CP it registers with and takes its config from. */
  cp: CpProcess;
  /** The Dataplane (or ZoneIngress) YAML given to `--dataplane`. */
  yaml: string;
  token: string;
  proxyType?: "dataplane" | "ingress";
  /** Serve the embedded DNS on a free port. */
  dns?: boolean;
  /** Default a free port, kept across restarts. */
  adminPort?: number;
}

export interface DataplaneProcess {
  options: DataplaneProcessOptions & { adminPort: number; dnsPort: number | undefined };
  pid: number;
  adminPort: number;
  dnsPort: number | undefined;
  output(): string;
  /** Resolves once `/ready` answers 200 (LDS and CDS applied). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** `/config_dump` as JSON. */
  configDump(): Promise<any>;
  /** `/stats/prometheus` text. */
  stats(): Promise<string>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
  /** A new process with the same options and ports. */
  restart(): Promise<DataplaneProcess>;
}

const admin = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });

export async function startDataplaneProcess(input: DataplaneProcessOptions & { dnsPort?: number }): Promise<DataplaneProcess> {
  const adminPort = input.adminPort ?? (await freePort());
  const dnsPort = input.dnsPort ?? (input.dns ? await freePort() : undefined);
  const options = { ...input, adminPort, dnsPort };
  const dir = await mkdtemp(join(tmpdir(), "zonemesh-e2e-dp-"));
  await writeFile(join(dir, "token"), input.token);
  const args = ["run", "--cp-address", input.cp.xdsAddress, "--cp-api-url", input.cp.apiUrl, "--dataplane", input.yaml];
  args.push("--dataplane-token-file", join(dir, "token"), "--admin-port", String(adminPort), "--proxy-type", input.proxyType ?? "dataplane");
  if (dnsPort !== undefined) args.push("--dns-port", String(dnsPort));
  // An empty PATH keeps a real envoy (if one were installed) out: these tests are of the built-in engine.
  const child = spawn(process.execPath, [dpBin, ...args], { env: { ...process.env, PATH: "" }, stdio: ["ignore", "pipe", "pipe"] });
  trackChild(child.pid!);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      untrackChild(child.pid!);
      void rm(dir, { recursive: true, force: true }).then(() => resolve());
    }),
  );
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const started: DataplaneProcess = {
    options,
    pid: child.pid!,
    adminPort,
    dnsPort,
    output: () => output,
    waitReady: (timeoutMs = 120_000) =>
      eventually(async () => {
        if (child.exitCode !== null) throw new Error(`dp exited with ${child.exitCode}; output:\n${output}`);
        const response = await admin(adminPort, "/ready").catch(() => undefined);
        if (response?.status !== 200) throw new Error(`dp not ready (${response?.status ?? "no answer"}); output:\n${output}`);
      }, timeoutMs),
    configDump: async () => (await admin(adminPort, "/config_dump")).json(),
    stats: async () => (await admin(adminPort, "/stats/prometheus")).text(),
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    restart: () => startDataplaneProcess(options),
  };
  return started;
}
