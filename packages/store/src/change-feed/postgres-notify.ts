// PostgreSQL change feed: a trigger on resources (see the labels_as_json migration) sends every change
// with pg_notify, which PostgreSQL delivers only when (and if) the writing transaction commits, to every
// connection LISTENing on the channel; so each store sharing the database, this one included, learns of
// every change the same way.
import pg from "pg";
import { z } from "zod";
import type { ChangeEvent } from "../types";
import type { ChangeFeed } from "./change-feed";
import { Listeners } from "./listeners";

const channel = "zonemesh_changes";

const changeEventSchema = z.object({
  op: z.enum(["create", "update", "delete"]),
  type: z.string(),
  mesh: z.string(),
  name: z.string(),
  version: z.number().int(),
});

const reconnectDelayMs = 1_000;

export async function postgresChangeFeed(url: string): Promise<ChangeFeed> {
  const listeners = new Listeners();
  const onNotification = (message: pg.Notification) => {
    if (message.channel !== channel || !message.payload) return;
    let event: ChangeEvent;
    try {
      event = changeEventSchema.parse(JSON.parse(message.payload));
    } catch {
      console.error(`zonemesh store: ignored a malformed change notification: ${message.payload}`);
      return;
    }
    listeners.emit(event);
  };

  let connection: pg.Client | undefined;
  let closing = false;
  // A lost connection is replaced; changes made while none was listening are not replayed.
  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on("notification", onNotification);
    client.on("error", (error) => console.error("zonemesh store: the change-feed connection failed", error));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (closing) {
      await client.end();
      return;
    }
    client.on("end", () => closing || listenSoon());
    connection = client;
  };
  let retry: NodeJS.Timeout | undefined;
  const listenSoon = () => (retry = setTimeout(() => listen().catch(listenSoon), reconnectDelayMs));
  await listen();

  return {
    // The database announced them already: a trigger on resources calls pg_notify for every changed row.
    committed: () => {},
    subscribe: (listener) => listeners.add(listener),
    close: async () => {
      closing = true;
      clearTimeout(retry);
      await connection?.end();
    },
  };
}
