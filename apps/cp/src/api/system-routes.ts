import { hostname } from "node:os";
import { stringify } from "yaml";
import type { ApiRoute } from "./route";

export type CpMode = "global" | "zone" | "standalone";

export interface IndexInfo {
  version: string;
  mode: CpMode;
  instanceId: string;
  clusterId?: string;
  zone?: string;
}

/** `GET /` (Kuma's version document) and the OpenAPI document of all routes, `document()` being built on demand. */
export function systemRoutes(info: IndexInfo, document: () => unknown): ApiRoute[] {
  return [
    {
      method: "GET",
      path: "/",
      operationId: "getIndex",
      summary: "Version and identity of this control plane",
      tag: "System",
      access: "public",
      responses: {
        200: {
          description: "Index",
          schema: {
            type: "object",
            required: ["hostname", "tagline", "version", "instanceId", "mode"],
            properties: {
              hostname: { type: "string" },
              tagline: { type: "string" },
              version: { type: "string" },
              instanceId: { type: "string" },
              clusterId: { type: "string" },
              mode: { type: "string", enum: ["global", "zone", "standalone"] },
              zone: { type: "string" },
            },
          },
        },
      },
      handler: async () => ({ hostname: hostname(), tagline: "zonemesh", ...info }),
    },
    {
      method: "GET",
      path: "/openapi.json",
      operationId: "getOpenApiJson",
      summary: "This API's OpenAPI 3.1 document",
      tag: "System",
      access: "public",
      responses: { 200: { description: "OpenAPI document", schema: { type: "object" } } },
      handler: async () => document(),
    },
    {
      method: "GET",
      path: "/openapi.yaml",
      operationId: "getOpenApiYaml",
      summary: "This API's OpenAPI 3.1 document as YAML",
      tag: "System",
      access: "public",
      responses: { 200: { description: "OpenAPI document", schema: { type: "string" }, contentType: "application/yaml" } },
      handler: async (_request, reply) => reply.type("application/yaml").send(stringify(document(), { aliasDuplicateObjects: false })),
    },
  ];
}
