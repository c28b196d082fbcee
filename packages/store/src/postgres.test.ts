import { startThrowawayPostgres, type ThrowawayPostgres } from "./testing/postgres";
import { runStoreSuite } from "./testing/store-suite";

let cluster: ThrowawayPostgres | undefined;

// Without PostgreSQL's server programs `before` throws, which fails every test with its message.
runStoreSuite("PostgreSQL store", {
  async before() {
    cluster = await startThrowawayPostgres();
  },
  async newDatabase() {
    if (!cluster) throw new Error("the throwaway PostgreSQL cluster did not start");
    return { url: await cluster.createDatabase() };
  },
  async after() {
    await cluster?.stop();
  },
  sharesChangesAcrossStores: true,
});
