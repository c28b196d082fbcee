import type { FastifyReply, FastifyRequest } from "fastify";
import type { RouteAccess } from "../auth/admin-guard";

export type JsonSchema = Record<string, unknown>;

export interface QueryParameter {
  name: string;
  description: string;
  schema: JsonSchema;
}

export interface RouteResponse {
  description: string;
  schema?: JsonSchema;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * One API operation: what the server registers and what the OpenAPI document describes,
 * so the two cannot drift apart. Other parts of the CP contribute routes in this shape too.
 */
export interface ApiRoute {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** OpenAPI-style path, e.g. `/meshes/{mesh}/dataplanes/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Defaults to "admin" (local address or admin token). */
  access?: RouteAccess;
  query?: QueryParameter[];
  requestBody?: { description: string; schema: JsonSchema; contentTypes?: string[] };
  responses: Record<number, RouteResponse>;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

export const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

export const pathParameterNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** A path parameter of the matched route (fastify has already URL-decoded it). */
export function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? "";
}
