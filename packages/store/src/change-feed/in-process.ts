import type { ChangeFeed } from "./change-feed";
import { Listeners } from "./listeners";

/** For a store that is the only writer of its database (SQLite): events go straight to this process's listeners. */
export function inProcessChangeFeed(): ChangeFeed {
  const listeners = new Listeners();
  return {
    committed: (events) => events.forEach((event) => listeners.emit(event)),
    subscribe: (listener) => listeners.add(listener),
    close: async () => {},
  };
}
