// Runs the demo's data plane proxies as real `zonemesh-dp run` processes against their zone CP, each with a token
// the zone CP issued and its Dataplane (or ZoneIngress) document written to the demo's data directory.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { call } from "../../apps/cp/src/api/testing";
import type { CpProcess } from "../../apps/cp/src/testing/cp-process";
import { eventually } from "../../apps/cp/src/testing/eventually";
import { startChild, type DemoChild } from "./child-process";
import { repoRoot, STARTUP_TIMEOUT_MS } from "./demo-config";

const dpBin = join(repoRoot, "apps/dp/bin/zonemesh-dp.mjs");

/** Issues a token on the zone CP, retrying while the zone has not yet received the mesh from the global. */
async function issueToken(zoneCp: CpProcess, path: string, body: Record<string, unknown>): Promise<string> {
  return eventually(
    async () => {
      const response = await call(zoneCp.apiUrl, "POST", path, { body });
      if (response.status !== 200) throw new Error(`POST ${path} ${JSON.stringify(body)} at ${zoneCp.apiUrl}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as string;
    },
    STARTUP_TIMEOUT_MS,
    500,
  );
}

export interface ProxyOptions {
  zoneCp: CpProcess;
  /** A Dataplane or a ZoneIngress in Kuma's format. */
  document: { type: string; name: string; mesh?: string };
  adminPort: number;
  /** Where its document and token files go. */
  dir: string;
  logFile: string;
}

export async function startProxy({ zoneCp, document, adminPort, dir, logFile }: ProxyOptions): Promise<DemoChild> {
  const ingress = document.type === "ZoneIngress";
  const token = ingress
    ? await issueToken(zoneCp, "/tokens/zone-ingress", { zone: zoneCp.options.zone })
    : await issueToken(zoneCp, "/tokens/dataplane", { mesh: document.mesh, name: document.name });
  await mkdir(dir, { recursive: true });
  // JSON is YAML: the proxy reads the document as it would read a user's YAML file.
  await writeFile(join(dir, "proxy.yaml"), JSON.stringify(document, null, 2));
  await writeFile(join(dir, "token"), token, { mode: 0o600 });
  const args = ["run", "--cp-address", zoneCp.xdsAddress, "--cp-api-url", zoneCp.apiUrl, "--dataplane-file", join(dir, "proxy.yaml")];
  args.push("--dataplane-token-file", join(dir, "token"), "--admin-port", String(adminPort));
  if (ingress) args.push("--proxy-type", "ingress");
  return startChild(`dp ${document.name}`, process.execPath, [dpBin, ...args], { cwd: repoRoot, logFile });
}
