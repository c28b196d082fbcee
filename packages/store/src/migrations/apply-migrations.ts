import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { migrationList } from "./migration-list";
import { currentSchema, type Provider } from "./provider-files";
import { withSchemaEngine } from "./schema-engine";

/**
 * Applies the provider's committed migrations that the database has not seen yet and returns their names.
 * The engine's connection is closed before this returns: a SQLite file stays locked while it is open.
 */
export function applyMigrations(provider: Provider, adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withSchemaEngine(currentSchema(provider), adapter, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: migrationList(provider),
      filters: { externalTables: [], externalEnums: [] },
    });
    return appliedMigrationNames;
  });
}
