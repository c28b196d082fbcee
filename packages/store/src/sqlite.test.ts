import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreSuite } from "./testing/store-suite";

const dirs: string[] = [];

runStoreSuite("SQLite store", {
  async newDatabase() {
    const dataDir = mkdtempSync(join(tmpdir(), "zonemesh-store-"));
    dirs.push(dataDir);
    return { dataDir };
  },
  async after() {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  },
  sharesChangesAcrossStores: false,
});
