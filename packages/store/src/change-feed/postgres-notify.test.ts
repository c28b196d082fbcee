import assert from "node:assert/strict";
import { after, it } from "node:test";
import pg from "pg";
import { openStore } from "../open-store";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../testing/postgres";
import type { ChangeEvent } from "../types";
import { changeFeedApplicationName } from "./postgres-notify";

let cluster: ThrowawayPostgres | undefined;
after(() => cluster?.stop());

const terminateListeners = async (url: string): Promise<number> => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query("SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1", [changeFeedApplicationName]);
    return rows.filter((row) => row.terminated).length;
  } finally {
    await admin.end();
  }
};

it("after PostgreSQL drops its LISTEN connection, listens again and hears once each change made while it was away", async () => {
  cluster = await startThrowawayPostgres();
  const url = await cluster.createDatabase();
  const listening = await openStore({ url });
  const writer = await openStore({ url });
  const events: ChangeEvent[] = [];
  listening.subscribe((event) => events.push(event));
  await writer.upsert({ type: "Zone", mesh: "", name: "before", spec: {} });
  const deadline = Date.now() + 10_000;
  while (events.length === 0) {
    assert.ok(Date.now() < deadline, "the change before the drop was not heard");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  assert.equal(await terminateListeners(url), 2);
  // Both stores reconnect after a second: these are made while nobody listens.
  await writer.upsert({ type: "Zone", mesh: "", name: "east", spec: {} });
  await writer.upsert({ type: "Zone", mesh: "", name: "east", spec: { enabled: false } });
  await writer.delete({ type: "Zone", mesh: "", name: "before" });

  const summary = () => events.map((event) => `${event.op} ${event.name} v${event.version}`);
  const expected = ["create before v1", "create east v1", "update east v2", "delete before v1"];
  while (summary().length < expected.length) {
    assert.ok(Date.now() < deadline, `missed changes: heard only ${JSON.stringify(summary())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Heard live again after the catch-up, and nothing twice.
  await writer.upsert({ type: "Zone", mesh: "", name: "after", spec: {} });
  while (summary().length < expected.length + 1) {
    assert.ok(Date.now() < deadline, "no change heard after the reconnect");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(summary(), [...expected, "create after v1"]);
  await writer.close();
  await listening.close();
});
