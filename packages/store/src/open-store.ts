import { join } from "node:path";
import { z } from "zod";
import { openPostgresStore } from "./postgres-store";
import { openSqliteStore } from "./sqlite-store";
import type { ResourceStore } from "./types";

export interface StoreOptions {
  /** `postgres://...` or `postgresql://...` (ZONEMESH_STORE_URL); unset for the embedded SQLite store. */
  url?: string;
  /** Where the embedded store keeps `zonemesh.db`; default `.data`. */
  dataDir?: string;
}

const optionsSchema = z.object({
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "the store URL must start with postgres:// or postgresql:// (unset it for the embedded SQLite store)")
    .optional(),
  dataDir: z.string().min(1).optional(),
});

export interface OpenedStore extends ResourceStore {
  /** The migrations this open applied (none when the database was already up to date). */
  readonly appliedMigrations: string[];
}

/** Opens the store and brings its database schema up to date first. */
export function openStore(options: StoreOptions = {}): Promise<OpenedStore> {
  const { url, dataDir = ".data" } = optionsSchema.parse(options);
  return url ? openPostgresStore(url) : openSqliteStore(join(dataDir, "zonemesh.db"));
}
