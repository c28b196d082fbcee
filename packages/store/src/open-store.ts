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
    .or(z.literal(""))
    .optional(),
  dataDir: z.string().min(1).optional(),
});

export interface OpenedStore extends ResourceStore {
  /** The migrations this open applied (none when the database was already up to date). */
  readonly appliedMigrations: string[];
}

/** Opens the store and brings its database schema up to date first. An empty `url` counts as unset. */
export async function openStore(options: StoreOptions = {}): Promise<OpenedStore> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid store options: ${z.prettifyError(parsed.error)}`);
  const { url, dataDir = ".data" } = parsed.data;
  return url ? openPostgresStore(url) : openSqliteStore(join(dataDir, "zonemesh.db"));
}
