// The WHERE clause of a list, in SQL because Prisma's `contains` is a LIKE whose `%` and `_` in the
// searched text would act as wildcards (and SQLite's LIKE ignores case); instr/strpos match literally.
import { join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import type { ListQuery, ResourceStore } from "./types";

export function listCondition(backend: ResourceStore["backend"], query: ListQuery): Sql {
  const conditions = [sql`r.type = ${query.type}`];
  if (query.mesh !== undefined) conditions.push(sql`r.mesh = ${query.mesh}`);
  if (query.nameContains) {
    conditions.push(backend === "sqlite" ? sql`instr(r.name, ${query.nameContains}) > 0` : sql`strpos(r.name, ${query.nameContains}) > 0`);
  }
  const labels = Object.entries(query.labels ?? {});
  if (labels.length > 0 && backend === "postgres") conditions.push(sql`r.labels @> ${JSON.stringify(query.labels)}::jsonb`);
  if (backend === "sqlite") {
    // json_quote turns any key (dots, slashes, quotes) into a JSON path member: $."kuma.io/zone".
    for (const [key, value] of labels) conditions.push(sql`r.labels ->> ('$.' || json_quote(${key})) = ${value}`);
  }
  return join(conditions, " AND ");
}

/** Pages are cut in SQL; without a size the limit is just larger than any table. */
export const pageClause = (query: ListQuery): Sql => sql`LIMIT ${query.size ?? 2_147_483_647} OFFSET ${query.offset ?? 0}`;
