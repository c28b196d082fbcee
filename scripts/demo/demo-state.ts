// `<dataDir>/demo-state.json`: what the running demo consists of (pids, ports, URLs), written once everything is
// up, so tests and scripts can find the GUI and the CPs and stop a single process.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface DemoCpState {
  pid: number;
  apiUrl: string;
  kdsAddress: string;
  xdsAddress: string;
}

export interface DemoProxyState {
  name: string;
  type: "Dataplane" | "ZoneIngress";
  zone: string;
  pid: number;
  adminUrl: string;
}

export interface DemoState {
  /** The demo launcher itself. */
  pid: number;
  guiUrl: string;
  gui: { pid: number };
  cps: Record<"global" | "east" | "west", DemoCpState>;
  proxies: DemoProxyState[];
  /** Requests the traffic generator sends, each to a proxy's outbound listener. */
  traffic: { name: string; url: string }[];
}

export const demoStatePath = (dataDir: string) => join(dataDir, "demo-state.json");

export const writeDemoState = (dataDir: string, state: DemoState) => writeFile(demoStatePath(dataDir), `${JSON.stringify(state, null, 2)}\n`);

/** Removed on shutdown: a state file means a demo is running. */
export const removeDemoState = (dataDir: string) => rm(demoStatePath(dataDir), { force: true });

export async function readDemoState(dataDir: string): Promise<DemoState> {
  return JSON.parse(await readFile(demoStatePath(dataDir), "utf8")) as DemoState;
}
