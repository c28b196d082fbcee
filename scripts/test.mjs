#!/usr/bin/env node
// `npm test`: installs what is missing, builds (Prisma clients, type-check, Next.js), runs every workspace's
// tests one workspace at a time, then the Playwright e2e in Chromium, and prints one closing
// "N passed, N failed" line over all of them (a test cancelled, by a failed hook or a timeout, counts as failed).
// The workspaces' failures are repeated just before that line, where a log cut to its end still shows them.
import { spawn } from "node:child_process";
import { ensureInstalled, build, root } from "./ensure-installed.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
let passed = 0;
let failed = 0;
const failures = [];

/** Collects each `not ok` of node's TAP output with its YAML block (location, error, the stack's first 3 frames). */
function failureCollector() {
  let block;
  return (line) => {
    const text = line.replace(/^\S+:test: /, "");
    if (block) {
      if (text.trimEnd() === `${block.indent}  ...`) block = undefined;
      else if (text.trim() === "stack: |-") block.frames = 0;
      else if (block.frames === undefined || block.frames++ < 3) block.lines.push(line);
      return;
    }
    const m = /^(?<indent>\s*)not ok \d+ - /.exec(text);
    if (m) {
      block = { indent: m.groups.indent, lines: [line] };
      failures.push(block.lines);
    }
  };
}

/** Runs a command, echoing its output, and adds the counts its summary lines report. */
function runCounting(command, args, summaryLine, onLine = () => {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let pending = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        onLine(line);
        const m = summaryLine.exec(line);
        if (m) m.groups.kind === "pass" || m.groups.kind === "passed" ? (passed += Number(m.groups.n)) : (failed += Number(m.groups.n));
      }
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

ensureInstalled();
build();
const unit = await runCounting("npx", ["turbo", "run", "test", "--concurrency=1", "--continue", "--output-logs=full"], /[ℹ#] (?<kind>pass|fail|cancelled) (?<n>\d+)\s*$/, failureCollector());
const e2e = await runCounting("npx", ["playwright", "test", "-c", "e2e/web", "--reporter=list"], /^\s+(?<n>\d+) (?<kind>passed|failed)\b/);
if (failures.length > 0) console.log(`\nWorkspace test failures (repeated from above):\n${failures.map((lines) => lines.join("\n")).join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(unit === 0 && e2e === 0 && failed === 0 && passed > 0 ? 0 : 1);
