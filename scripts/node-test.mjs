#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ of the current workspace with node's test runner (through tsx).
// Node 20's `--test` does not expand globs itself, hence this walker.
import { readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const filter = process.argv[2];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith(".test.ts") && (!filter || path.includes(filter))) files.push(path);
  }
};
for (const dir of ["src", "test"]) if (existsSync(dir)) walk(dir);
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--experimental-wasm-modules", "--no-warnings", "--import", "tsx", "--test", "--test-concurrency=1", ...files.sort()],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
