import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { inProcessChangeFeed } from "./change-feed/in-process";
import { PrismaClient } from "./generated/sqlite/client";
import { applyMigrations } from "./migrations/apply-migrations";
import { PrismaResourceStore } from "./prisma-store";
import type { OpenedStore } from "./open-store";

/** The embedded store: one SQLite file, written by this process only. */
export async function openSqliteStore(file: string): Promise<OpenedStore> {
  mkdirSync(dirname(file), { recursive: true });
  const url = `file:${file}`;
  const appliedMigrations = await applyMigrations("sqlite", new PrismaBetterSqlite3({ url }));

  const writer = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  // WAL lets the reader connection read committed data while a write is in progress. With WAL,
  // synchronous=NORMAL cannot corrupt the file; a power cut may lose the last commits.
  await writer.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await writer.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  const reader = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url, readonly: true }) });

  return new PrismaResourceStore({ backend: "sqlite", writer, serializeWrites: true, reader, feed: inProcessChangeFeed(), appliedMigrations });
}
