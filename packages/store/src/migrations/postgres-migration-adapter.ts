import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * PrismaPg for the schema engine, except that a migration script goes to PostgreSQL whole: PrismaPg
 * splits scripts at every `;`, which cuts a PL/pgSQL function body apart, while PostgreSQL's simple
 * query protocol runs a multi-statement script as it is.
 */
export function postgresMigrationAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPg({ connectionString: url });
  type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
  const sendWhole = (adapter: Adapter) =>
    Object.assign(adapter, {
      executeScript: async (script: string) => {
        await adapter.underlyingDriver().query(script);
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => sendWhole(await factory.connect()),
    connectToShadowDb: async () => sendWhole(await factory.connectToShadowDb()),
  };
}
