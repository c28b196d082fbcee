import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { migrationsDir, type Provider } from "./provider-files";

export const lockfileName = "migration_lock.toml";

/** The committed migrations of one provider, in the shape the schema engine reads them. */
export function migrationList(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockfilePath = join(baseDir, lockfileName);
  return {
    baseDir,
    lockfile: { path: lockfileName, content: existsSync(lockfilePath) ? readFileSync(lockfilePath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: readdirSync(baseDir)
      .filter((entry) => statSync(join(baseDir, entry)).isDirectory())
      .sort()
      .map((path) => ({
        path,
        migrationFile: { path: "migration.sql", content: { tag: "ok", value: readFileSync(join(baseDir, path, "migration.sql"), "utf8") } },
      })),
  };
}
