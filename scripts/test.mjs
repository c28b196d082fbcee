#!/usr/bin/env node
// `npm test`: installs what is missing, builds (Prisma clients, type-check, Next.js), then runs every
// workspace's tests one workspace at a time and prints one closing "N passed, N failed" line.
import { spawn } from "node:child_process";
import { ensureInstalled, build, root } from "./ensure-installed.mjs";

ensureInstalled();
build();

const child = spawn("npx", ["turbo", "run", "test", "--concurrency=1", "--continue", "--output-logs=full"], {
  cwd: root,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  stdio: ["ignore", "pipe", "inherit"],
});
let passed = 0;
let failed = 0;
let pending = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString();
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const m = /[ℹ#] (pass|fail) (\d+)\s*$/.exec(line);
    if (m) m[1] === "pass" ? (passed += Number(m[2])) : (failed += Number(m[2]));
  }
});
child.on("exit", (code) => {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
