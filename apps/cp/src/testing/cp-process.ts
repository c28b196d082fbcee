// Runs a control plane as a real process (apps/cp/src/main.ts) on 127.0.0.1 for multi-process tests
// (multi-zone KDS, data plane and GUI end-to-end tests). Ports are chosen up front so a restart keeps them.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@zonemesh/testing";

const mainPath = fileURLToPath(new URL("../main.ts", import.meta.url));
const cpDir = fileURLToPath(new URL("../..", import.meta.url));

export interface CpProcessOptions {
  mode: "global" | "zone" | "standalone";
  zone?: string;
  /** A zone's global, e.g. `global.kdsAddress`. */
  globalKdsAddress?: string;
  /** Handed to the zone CP through a --zone-token-file. */
  zoneToken?: string;
  /** A PostgreSQL URL; default SQLite in `dataDir`. */
  storeUrl?: string;
  /** Default a fresh temporary directory. */
  dataDir?: string;
  ports?: CpPorts;
  env?: Record<string, string>;
  /** Create Kuma's mesh `default` at start (global, standalone); default off, so that a test sees only its own meshes. */
  defaultMesh?: boolean;
  /** How long to wait for the API to answer; default 120 s (a loaded 2-core machine takes 10-60 s). */
  startTimeoutMs?: number;
}

export interface CpPorts {
  api: number;
  kds: number;
  xds: number;
}

export interface CpProcess {
  /** What to pass to `startCpProcess` to start it again on the same store and ports. */
  options: CpProcessOptions & { dataDir: string; ports: CpPorts };
  apiUrl: string;
  kdsAddress: string;
  xdsAddress: string;
  pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM (a clean shutdown) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
  /** A new process with the same options. */
  restart(): Promise<CpProcess>;
  /** Stops the process and deletes its data directory (call it on the last process of a store). */
  remove(): Promise<void>;
}

async function poll(condition: () => Promise<boolean> | boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startCpProcess(input: CpProcessOptions): Promise<CpProcess> {
  const dataDir = input.dataDir ?? (await mkdtemp(join(tmpdir(), `zonemesh-cp-${input.zone ?? input.mode}-`)));
  const ports = input.ports ?? { api: await freePort(), kds: await freePort(), xds: await freePort() };
  const options = { ...input, dataDir, ports };
  const args = ["--mode", input.mode, "--data-dir", dataDir, "--api-host", "127.0.0.1", "--api-port", String(ports.api)];
  args.push("--kds-host", "127.0.0.1", "--kds-port", String(ports.kds), "--xds-port", String(ports.xds));
  if (input.zone) args.push("--zone", input.zone);
  if (input.globalKdsAddress) args.push("--global-kds-address", input.globalKdsAddress);
  if (input.storeUrl) args.push("--store-url", input.storeUrl);
  if (!input.defaultMesh) args.push("--skip-default-mesh");
  if (input.zoneToken !== undefined) {
    const tokenFile = join(dataDir, "zone-token");
    await writeFile(tokenFile, input.zoneToken);
    args.push("--zone-token-file", tokenFile);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...input.env };
  for (const name of Object.keys(env)) if (name.startsWith("ZONEMESH_") && !input.env?.[name]) delete env[name];
  const child: ChildProcess = spawn(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--import", "tsx", mainPath, ...args], {
    cwd: cpDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const label = `${input.mode}${input.zone ? ` ${input.zone}` : ""} CP (pid ${child.pid})`;
  const end = async (signal: NodeJS.Signals) => {
    if (!hasExited) child.kill(signal);
    await exited;
  };
  const started: CpProcess = {
    options,
    apiUrl,
    kdsAddress: `127.0.0.1:${ports.kds}`,
    xdsAddress: `127.0.0.1:${ports.xds}`,
    pid: child.pid!,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 15_000) => poll(() => pattern.test(output), timeoutMs, () => `${label} never printed ${pattern}; output:\n${output}`),
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    restart: () => startCpProcess(options),
    remove: async () => {
      await end("SIGTERM");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await poll(
      async () => {
        if (hasExited) throw new Error(`${label} exited while starting; output:\n${output}`);
        return fetch(`${apiUrl}/`).then((response) => response.ok, () => false);
      },
      input.startTimeoutMs ?? 120_000,
      () => `${label} API never answered; output:\n${output}`,
    );
  } catch (error) {
    await end("SIGKILL");
    throw error;
  }
  return started;
}
