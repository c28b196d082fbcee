// Entity tags for lists: a type's tag changes with every change of that type (the change feed says which), so a
// client sending it back in If-None-Match gets 304 without the store being read or the list serialized.
import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ResourceStore } from "@zonemesh/store";

export interface ListVersions {
  /** The tag of every list of `type` (any mesh, page or filter: the client keeps one per URL). */
  etagOf(type: string): string;
  /** A tag for an aggregate with its own version (e.g. service insights, versioned by their recompute). */
  etagFor(name: string, version: number): string;
  close(): void;
}

export function listVersions(store: ResourceStore): ListVersions {
  // Another CP instance (or this one restarted) counts from zero too: its tags must not match these.
  const instance = randomBytes(4).toString("hex");
  const changes = new Map<string, number>();
  const close = store.subscribe((event) => changes.set(event.type, (changes.get(event.type) ?? 0) + 1));
  return { etagOf: (type) => `W/"${instance}-${changes.get(type) ?? 0}"`, etagFor: (name, version) => `W/"${instance}-${name}-${version}"`, close };
}

/**
 * Sets `ETag` and answers 304 when the client already has this version. The tag must be taken before the list is
 * read: a change racing with the read then only makes the tag older than the content, never newer.
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header("etag", etag);
  if (request.headers["if-none-match"] !== etag) return false;
  void reply.status(304).send();
  return true;
}

export const notModifiedResponse = { 304: { description: "Not modified: the list has not changed since the `ETag` sent in `If-None-Match`" } };
