// Both generated clients have the same model API; the store is written against the SQLite one's types.
import type { Prisma } from "./generated/sqlite/client";

export type { PrismaClient } from "./generated/sqlite/client";
export type TransactionClient = Prisma.TransactionClient;
