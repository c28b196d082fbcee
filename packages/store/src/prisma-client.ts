// Both generated clients have the same model API; the store is written against the SQLite one's types.
export type { PrismaClient } from "./generated/sqlite/client";
