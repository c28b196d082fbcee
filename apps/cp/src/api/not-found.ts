import type { FastifyReply, FastifyRequest } from "fastify";
import { resourceTypes, typeByPlural } from "@zonemesh/resources";
import { errorHandler } from "./error-handler";
import { notFound } from "./problem";
import type { ApiRoute } from "./route";

const knownPlurals = () => resourceTypes.map((type) => type.plural).join(", ");

/** 404 for unmatched routes, naming an unknown resource type when the path has the shape of a resource path. */
export function notFoundHandler(routes: readonly ApiRoute[]) {
  const otherPrefixes = new Set(routes.map((route) => route.path.split("/")[1]).filter((prefix) => prefix !== "meshes"));
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = new URL(request.url, "http://localhost").pathname;
    const segments = path.split("/").filter(Boolean);
    const underMesh = segments[0] === "meshes" && segments.length >= 3;
    const plural = underMesh ? segments[2]! : segments[0];
    const looksLikeResource = plural !== undefined && (underMesh || !otherPrefixes.has(plural)) && !typeByPlural(plural);
    const problem = looksLikeResource
      ? notFound(`unknown resource type "${plural}"`, [{ field: "type", reason: `"${plural}" is not a resource type; known: ${knownPlurals()}` }])
      : notFound(`no route for ${request.method} ${path}`);
    return errorHandler(problem, request, reply);
  };
}
