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

export async function postgresChangeFeed(url: string): Promise<ChangeFeed> {
  const listeners = new Listeners();
  const connection = new pg.Client({ connectionString: url });
  connection.on("notification", (message) => {
    if (message.channel !== channel || !message.payload) return;
    let event: ChangeEvent;
    try {
      event = changeEventSchema.parse(JSON.parse(message.payload));
    } catch {
      console.error(`zonemesh store: ignored a malformed change notification: ${message.payload}`);
      return;
    }
    listeners.emit(event);
  });
  connection.on("error", (error) => console.error("zonemesh store: the change-feed connection failed", error));
  await connection.connect();
  await connection.query(`LISTEN ${channel}`);

  return {
    // The database announced them already: a trigger on resources calls pg_notify for every changed row.
    committed: () => {},
    subscribe: (listener) => listeners.add(listener),
    close: () => connection.end(),
  };
}
