import assert from "node:assert/strict";
import { after, it } from "node:test";
import pg from "pg";
import { openStore } from "../open-store";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../testing/postgres";
import type { ChangeEvent } from "../types";

let cluster: ThrowawayPostgres | undefined;
after(() => cluster?.stop());

it("listens again after PostgreSQL drops its LISTEN connection", async () => {
  cluster = await startThrowawayPostgres();
  const url = await cluster.createDatabase();
  const store = await openStore({ url });
  const events: ChangeEvent[] = [];
  store.subscribe((event) => events.push(event));

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const { rows } = await admin.query("SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
  await admin.end();
  assert.deepEqual(rows, [{ terminated: true }]);

  const deadline = Date.now() + 10_000;
  while (events.length === 0) {
    assert.ok(Date.now() < deadline, "no change event after the connection was dropped");
    await store.upsert({ type: "Zone", mesh: "", name: "east", spec: {} });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(events[0]?.name, "east");
  await store.close();
});
