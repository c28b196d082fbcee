// Where each provider's schema and migrations live: prisma/<provider>/ holds its generator + datasource
// and a link to the shared model (prisma/schema.prisma); prisma/<provider>/migrations/ its migrations.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SchemaFile } from "./schema-engine";

export type Provider = "sqlite" | "postgresql";

const prismaDir = fileURLToPath(new URL("../../../../prisma", import.meta.url));

const providerDir = (provider: Provider) => join(prismaDir, provider);
export const migrationsDir = (provider: Provider) => join(providerDir(provider), "migrations");

/** The schema as of the newest migration; `.snapshot` because Prisma would read a `.prisma` file here as part of the schema. */
export const snapshotPath = (provider: Provider) => join(migrationsDir(provider), "schema.snapshot");

export function currentSchema(provider: Provider): SchemaFile[] {
  const dir = providerDir(provider);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".prisma"))
    .sort()
    .map((file) => ({ path: file, content: readFileSync(join(dir, file), "utf8") }));
}
