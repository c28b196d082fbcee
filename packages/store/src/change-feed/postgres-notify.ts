// PostgreSQL change feed: a trigger on resources (see the labels_as_json and change_log migrations) records every
// change in resource_changes and sends it with pg_notify, which PostgreSQL delivers only when (and if) the writing
// transaction commits, to every connection LISTENing on the channel; so each store sharing the database, this one
// included, learns of every change the same way. A lost LISTEN connection hears nothing until it is replaced: the
// new one first reads from resource_changes what was recorded since shortly before the last change heard.
import pg from "pg";
import { z } from "zod";
import type { ChangeEvent } from "../types";
import type { ChangeFeed } from "./change-feed";
import { Listeners } from "./listeners";
import { RecentChanges } from "./recent-changes";

const channel = "zonemesh_changes";
/** Names the LISTEN connections in pg_stat_activity. */
export const changeFeedApplicationName = "zonemesh-change-feed";

const recordedChange = z.object({
  id: z.coerce.number().int(),
  at: z.coerce.date(),
  op: z.enum(["create", "update", "delete"]),
  type: z.string(),
  mesh: z.string(),
  name: z.string(),
  version: z.number().int(),
});
type RecordedChange = z.infer<typeof recordedChange>;

const reconnectDelayMs = 1_000;
/**
 * How far before the last change heard a catch-up reads. A change is recorded when its row is written but announced
 * when its transaction commits, so a transaction that commits later than this after writing can still be missed.
 */
const catchUpMarginMs = 10_000;
/** resource_changes keeps this much history; every store prunes it now and then. */
const keepForMs = 60 * 60_000;
const pruneEveryMs = 10 * 60_000;

export async function postgresChangeFeed(url: string): Promise<ChangeFeed> {
  const listeners = new Listeners();
  const recent = new RecentChanges(catchUpMarginMs);
  /** Notifications that arrive while a catch-up read is running wait for it, so that events keep their order. */
  let held: RecordedChange[] | undefined;
  const deliver = (change: RecordedChange) => {
    if (!recent.add(change.id, change.at.getTime())) return;
    const { op, type, mesh, name, version } = change;
    listeners.emit({ op, type, mesh, name, version } satisfies ChangeEvent);
  };
  const onNotification = (message: pg.Notification) => {
    if (message.channel !== channel || !message.payload) return;
    let change: RecordedChange;
    try {
      change = recordedChange.parse(JSON.parse(message.payload));
    } catch {
      console.error(`zonemesh store: ignored a malformed change notification: ${message.payload}`);
      return;
    }
    if (held) held.push(change);
    else deliver(change);
  };

  let connection: pg.Client | undefined;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
  const prune = (client: pg.Client) =>
    client.query(`DELETE FROM "resource_changes" WHERE "at" < now() - $1::interval`, [`${keepForMs} milliseconds`]).catch((error: Error) => {
      console.error(`zonemesh store: could not prune resource_changes: ${error.message}`);
    });
  const pruneTimer = setInterval(() => connection && void prune(connection), pruneEveryMs).unref();

  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, application_name: changeFeedApplicationName });
    client.on("notification", onNotification);
    client.on("error", (error) => console.error("zonemesh store: the change-feed connection failed", error));
    held = [];
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      const since = recent.latestAt();
      if (since === undefined) {
        // The first connection: everything from now on is heard.
        const { rows } = await client.query<{ now: Date }>("SELECT clock_timestamp() AS now");
        recent.advance(rows[0]!.now.getTime());
      } else {
        const { rows } = await client.query(
          `SELECT "id", "at", "op", "type", "mesh", "name", "version" FROM "resource_changes" WHERE "at" >= $1 ORDER BY "id"`,
          [new Date(since - catchUpMarginMs)],
        );
        for (const row of rows) deliver(recordedChange.parse(row));
      }
    } catch (error) {
      held = undefined;
      await client.end().catch(() => {});
      throw error;
    }
    const waiting = held;
    held = undefined;
    for (const change of waiting) deliver(change);
    if (closing) {
      await client.end();
      return;
    }
    client.on("end", () => closing || listenSoon());
    connection = client;
    void prune(client);
  };
  const listenSoon = () => (retry = setTimeout(() => listen().catch(listenSoon), reconnectDelayMs));
  await listen();

  return {
    // The database announced them already: a trigger on resources calls pg_notify for every changed row.
    committed: () => {},
    subscribe: (listener) => listeners.add(listener),
    close: async () => {
      closing = true;
      clearTimeout(retry);
      clearInterval(pruneTimer);
      await connection?.end();
    },
  };
}
