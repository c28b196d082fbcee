// `npm run migrations:new -w @zonemesh/store -- <name>`: writes prisma/<provider>/migrations/<timestamp>_<name>/
// for both providers from the difference between the schema snapshot saved with the newest migration and
// the current schema. (The WASM engine's createMigration needs a shadow database it cannot create itself.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { lockfileName } from "../src/migrations/migration-list";
import { currentSchema, migrationsDir, snapshotPath, type Provider } from "../src/migrations/provider-files";
import { withSchemaEngine, type SchemaFile } from "../src/migrations/schema-engine";
import { startThrowawayPostgres } from "../src/testing/postgres";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migrations:new -w @zonemesh/store -- <name in snake_case>");
  process.exit(2);
}

// Diffing two schemas reads no tables, but the engine wants an adapter of the right provider, and the
// PostgreSQL one must reach a server.
const postgres = await startThrowawayPostgres();
const adapters: Record<Provider, () => SqlMigrationAwareDriverAdapterFactory> = {
  sqlite: () => new PrismaBetterSqlite3({ url: ":memory:" }),
  postgresql: () => new PrismaPg(postgres.url),
};

const snapshotSeparator = "\n// ---- file: ";
const writeSnapshot = (files: SchemaFile[]) => files.map((f) => `${snapshotSeparator}${f.path}\n${f.content}`).join("");
const readSnapshot = (text: string): SchemaFile[] =>
  text
    .split(snapshotSeparator)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf("\n");
      return { path: chunk.slice(0, newline), content: chunk.slice(newline + 1) };
    });

const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

for (const provider of ["sqlite", "postgresql"] as const) {
  const schema = currentSchema(provider);
  const snapshot = existsSync(snapshotPath(provider)) ? readSnapshot(readFileSync(snapshotPath(provider), "utf8")) : null;
  const { stdout } = await withSchemaEngine(schema, adapters[provider](), (engine) =>
    engine.diff({
      from: snapshot ? { tag: "schemaDatamodel", files: snapshot } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: schema },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  if (!stdout || stdout.includes("This is an empty migration.")) {
    console.log(`${provider}: the schema has not changed since the last migration`);
    continue;
  }
  const dir = join(migrationsDir(provider), `${timestamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), stdout);
  writeFileSync(snapshotPath(provider), writeSnapshot(schema));
  const lockfile = join(migrationsDir(provider), lockfileName);
  if (!existsSync(lockfile)) writeFileSync(lockfile, `provider = "${provider}"\n`);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}
await postgres.stop();
