#!/usr/bin/env node
// `npm start`: installs what is missing, builds (Prisma clients, type-check, the GUI), then runs the demo.
import { spawn } from "node:child_process";
import { ensureInstalled, build, root } from "./ensure-installed.mjs";

ensureInstalled();
build();
const demo = spawn(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--import", "tsx", "scripts/demo/run-demo.ts"], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => demo.kill(signal));
demo.on("exit", (code) => process.exit(code ?? 0));
