// Playwright's webServer: the `npm start` demo (scripts/demo/run-demo.ts) on the e2e's ports in a fresh data
// directory, removed again once the demo has stopped (its logs are kept in test-results/web/demo-logs).
// Playwright signals the whole process group; this process waits for the demo's own shutdown before cleaning up.
import { spawn } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoDataDir, demoEnv } from "./demo-instance";

const root = fileURLToPath(new URL("../..", import.meta.url));
rmSync(demoDataDir, { recursive: true, force: true });
const demo = spawn(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--import", "tsx", "scripts/demo/run-demo.ts"], {
  cwd: root,
  env: { ...process.env, ...demoEnv },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => demo.kill(signal));
demo.on("exit", (code) => {
  const logs = join(demoDataDir, "logs");
  if (existsSync(logs)) cpSync(logs, join(root, "test-results/web/demo-logs"), { recursive: true });
  rmSync(demoDataDir, { recursive: true, force: true });
  process.exit(code ?? 1);
});
