// The demo behind `npm start`: a global CP, zone CPs east and west (each with its embedded SQLite store under
// .data/demo), the demo mesh and policies applied on the global, demo services registered in their zones,
// and the GUI. Runs until Ctrl-C; a second start reuses the same data.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCpProcess, type CpProcess } from "../../apps/cp/src/testing/cp-process";
import { issueZoneToken } from "../../apps/cp/src/testing/multizone";
import { demoServices } from "./demo-services";
import { registerDemoDataplanes } from "./register-dataplanes";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = join(root, ".data/demo");
const guiPort = Number(process.env.ZONEMESH_GUI_PORT ?? 3000);
const ports = {
  global: { api: 5681, kds: 5685, xds: 5678 },
  east: { api: 5682, kds: 5686, xds: 5679 },
  west: { api: 5683, kds: 5687, xds: 5680 },
};

const started: CpProcess[] = [];
const stopAll = async () => {
  await Promise.all(started.map((cp) => cp.stop()));
};

/** Applies examples/demo/*.yaml on the global CP with zmctl, as a user would. */
function applyExamples(global: CpProcess): Promise<void> {
  const dir = join(root, "examples/demo");
  const files = readdirSync(dir).sort().flatMap((file) => ["-f", join(dir, file)]);
  const zmctl = spawn(process.execPath, [join(root, "apps/cli/bin/zmctl.mjs"), "apply", "--api-url", global.apiUrl, ...files], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  return new Promise((resolve, reject) => zmctl.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`zmctl apply exited with ${code}`)))));
}

try {
  const global = await startCpProcess({ mode: "global", dataDir: join(dataDir, "global"), ports: ports.global });
  started.push(global);
  await applyExamples(global);
  for (const zone of ["east", "west"] as const) {
    const token = await issueZoneToken(global, zone);
    mkdirSync(join(dataDir, zone), { recursive: true });
    const cp = await startCpProcess({ mode: "zone", zone, globalKdsAddress: global.kdsAddress, zoneToken: token, dataDir: join(dataDir, zone), ports: ports[zone] });
    started.push(cp);
    await registerDemoDataplanes(cp, demoServices.filter((s) => s.zone === zone));
  }

  const web = spawn("npx", ["next", "start", "-p", String(guiPort), "-H", "127.0.0.1"], {
    cwd: join(root, "apps/web"),
    env: { ...process.env, ZONEMESH_API_URL: global.apiUrl, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const shutdown = () => {
    web.kill("SIGTERM");
    void stopAll().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  console.log(`
zonemesh demo is up
  GUI:               http://127.0.0.1:${guiPort}
  global CP API:     ${global.apiUrl}   (zmctl: node apps/cli/bin/zmctl.mjs get meshes)
  zone east CP API:  ${started[1]!.apiUrl}
  zone west CP API:  ${started[2]!.apiUrl}
Ctrl-C stops everything; data stays in .data/demo (delete it to start over).
`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
}
