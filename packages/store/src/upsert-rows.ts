// The statement behind upsertMany: one multi-row INSERT ... ON CONFLICT DO UPDATE ... RETURNING per chunk,
// which both SQLite and PostgreSQL run as `upsert` does a single row (version 1 on create, +1 on update).
import { join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import { contentOf } from "./resource-rows";
import type { NewResource, ResourceStore } from "./types";

/** Rows per statement: 7 parameters each stays far under SQLite's 32,766 (and PostgreSQL's 65,535). */
export const upsertChunkRows = 500;

export function upsertRows(backend: ResourceStore["backend"], resources: NewResource[], now: Date): Sql {
  const values = resources.map((resource) => {
    const { labels, spec } = contentOf(resource);
    const labelsJson = JSON.stringify(labels);
    return sql`(${resource.type}, ${resource.mesh}, ${resource.name}, 1, ${backend === "postgres" ? sql`${labelsJson}::jsonb` : labelsJson}, ${spec}, ${now}, ${now})`;
  });
  return sql`
    INSERT INTO resources (type, mesh, name, version, labels, spec, "creationTime", "modificationTime")
    VALUES ${join(values, ", ")}
    ON CONFLICT (type, mesh, name) DO UPDATE SET
      version = resources.version + 1, labels = excluded.labels, spec = excluded.spec, "modificationTime" = excluded."modificationTime"
    RETURNING type, mesh, name, version, labels, spec, "creationTime", "modificationTime"`;
}
