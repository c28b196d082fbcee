#!/usr/bin/env node
// `npm test`: installs what is missing, builds (Prisma clients, type-check, Next.js), runs every workspace's
// tests one workspace at a time, then the Playwright e2e in Chromium, and prints one closing
// "N passed, N failed" line over all of them (a test cancelled, by a failed hook or a timeout, counts as failed).
import { spawn } from "node:child_process";
import { ensureInstalled, build, root } from "./ensure-installed.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
let passed = 0;
let failed = 0;

/** Runs a command, echoing its output, and adds the counts its summary lines report. */
function runCounting(command, args, summaryLine) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let pending = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = summaryLine.exec(line);
        if (m) m.groups.kind === "pass" || m.groups.kind === "passed" ? (passed += Number(m.groups.n)) : (failed += Number(m.groups.n));
      }
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

ensureInstalled();
build();
const unit = await runCounting("npx", ["turbo", "run", "test", "--concurrency=1", "--continue", "--output-logs=full"], /[ℹ#] (?<kind>pass|fail|cancelled) (?<n>\d+)\s*$/);
const e2e = await runCounting("npx", ["playwright", "test", "-c", "e2e/web", "--reporter=list"], /^\s+(?<n>\d+) (?<kind>passed|failed)\b/);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(unit === 0 && e2e === 0 && failed === 0 && passed > 0 ? 0 : 1);
