import { startThrowawayPostgres, type ThrowawayPostgres } from "./testing/postgres";
import { runStoreSuite } from "./testing/store-suite";

// Started by the first test that needs it: without PostgreSQL's server programs every test fails with
// the reason, rather than being skipped or cancelled.
let cluster: Promise<ThrowawayPostgres> | undefined;

runStoreSuite("PostgreSQL store", {
  async newDatabase() {
    cluster ??= startThrowawayPostgres();
    return { url: await (await cluster).createDatabase() };
  },
  async after() {
    await (await cluster?.catch(() => undefined))?.stop();
  },
  sharesChangesAcrossStores: true,
});
