// Where the demo runs: its data directory and every port it binds, all derived from the environment so that tests
// can run a demo of their own beside a user's (`ZONEMESH_DEMO_PORT_BASE`, `ZONEMESH_DEMO_GUI_PORT`, `ZONEMESH_DEMO_DATA_DIR`).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { CpPorts } from "../../apps/cp/src/testing/cp-process";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export type DemoZone = "east" | "west";
export const demoZones: DemoZone[] = ["east", "west"];

export interface DemoConfig {
  dataDir: string;
  guiPort: number;
  cpPorts: Record<"global" | DemoZone, CpPorts>;
  /** The n-th port of the demo's range for its workloads and proxies (see demo-services.ts). */
  port(offset: number): number;
}

/** How long the demo waits for each of its processes to come up: a loaded 2-core machine needs minutes. */
export const STARTUP_TIMEOUT_MS = 300_000;

/** How many ports past the base the demo uses; the range is base .. base + PORT_RANGE - 1. */
export const PORT_RANGE = 60;

const port = z.coerce.number().int().min(1).max(65535);
const envSchema = z.object({
  ZONEMESH_DEMO_PORT_BASE: port.max(65535 - PORT_RANGE).default(5678),
  ZONEMESH_DEMO_GUI_PORT: port.default(3000),
  ZONEMESH_DEMO_DATA_DIR: z.string().min(1).default(".data/demo"),
});

export function readDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  const { ZONEMESH_DEMO_PORT_BASE: base, ZONEMESH_DEMO_GUI_PORT: guiPort, ZONEMESH_DEMO_DATA_DIR: dataDir } = parsed.data;
  // With the default base these are the CP's own defaults for the global (xDS 5678, API 5681, KDS 5685).
  return {
    dataDir: resolve(repoRoot, dataDir),
    guiPort,
    cpPorts: {
      global: { xds: base, api: base + 3, kds: base + 7 },
      east: { xds: base + 1, api: base + 4, kds: base + 8 },
      west: { xds: base + 2, api: base + 5, kds: base + 9 },
    },
    port: (offset) => {
      if (offset < 10 || offset >= PORT_RANGE) throw new Error(`demo port offset ${offset} is outside 10..${PORT_RANGE - 1}`);
      return base + offset;
    },
  };
}
