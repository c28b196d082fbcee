import type { FastifyRequest } from "fastify";
import { badRequest } from "./problem";

/** A resource's optimistic-concurrency version as an HTTP entity tag. */
export const etagOf = (version: number) => `"${version}"`;

/** The version a client sent in `If-Match` (as returned in `ETag`), or undefined for last-write-wins. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers["if-match"];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw badRequest("If-Match must be the ETag of the resource you read", [
      { field: "If-Match", reason: `"${header}" is not a resource version such as "3"` },
    ]);
  }
  return version;
}
