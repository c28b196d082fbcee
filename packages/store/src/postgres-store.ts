import { PrismaPg } from "@prisma/adapter-pg";
import { postgresChangeFeed } from "./change-feed/postgres-notify";
import { PrismaClient } from "./generated/postgresql/client";
import { applyMigrations } from "./migrations/apply-migrations";
import { postgresMigrationAdapter } from "./migrations/postgres-migration-adapter";
import type { PrismaClient as StoreClient } from "./prisma-client";
import { PrismaResourceStore } from "./prisma-store";
import type { OpenedStore } from "./open-store";

/** A store on a PostgreSQL database that several control planes may share. */
export async function openPostgresStore(url: string): Promise<OpenedStore> {
  const appliedMigrations = await applyMigrations("postgresql", postgresMigrationAdapter(url));
  // The two generated clients differ only in provider options the store does not use (isolation levels).
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as StoreClient;
  const feed = await postgresChangeFeed(url);
  return new PrismaResourceStore({ backend: "postgres", writer: client, serializeWrites: false, reader: client, feed, appliedMigrations });
}
