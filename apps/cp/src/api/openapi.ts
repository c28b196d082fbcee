import type { ApiRoute, JsonSchema } from "./route";
import { pathParameterNames } from "./route";

const problemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details; `details` and `causes` repeat `detail` and `invalid_parameters` in Kuma's older error shape.",
  required: ["type", "title", "status", "detail", "invalid_parameters"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    details: { type: "string" },
    invalid_parameters: {
      type: "array",
      items: { type: "object", required: ["field", "reason"], properties: { field: { type: "string" }, reason: { type: "string" } } },
    },
    causes: {
      type: "array",
      items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } },
    },
  },
};

const errorResponse = {
  description: "Problem details",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

export interface OpenApiInfo {
  version: string;
  /** Named schemas (resource types) that routes reference as `#/components/schemas/<name>`. */
  schemas: Record<string, JsonSchema>;
}

/** The OpenAPI 3.1 document for exactly the routes the server registers. */
export function buildOpenApi(routes: readonly ApiRoute[], info: OpenApiInfo) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operations = (paths[route.path] ??= {});
    operations[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "zonemesh control plane API",
      version: info.version,
      description:
        "Kuma-compatible REST API. Requests from 127.0.0.1/::1 without a token act as admin; any other caller needs an admin token " +
        "(`Authorization: Bearer <token>`, made with `zmctl generate admin-token` or `POST /tokens/user`).",
    },
    paths,
    components: {
      schemas: { ...info.schemas, Problem: problemSchema },
      securitySchemes: { adminToken: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}

function operation(route: ApiRoute) {
  const parameters = [
    ...pathParameterNames(route.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...(route.query ?? []).map((q) => ({ name: q.name, in: "query", required: false, description: q.description, schema: q.schema })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? "application/json"]: { schema: response.schema } } } : {}),
    };
  }
  responses["4XX"] = errorResponse;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.access === "public" ? { security: [] } : { security: [{ adminToken: [] }, {}] }),
    ...(parameters.length ? { parameters } : {}),
    ...(route.requestBody
      ? {
          requestBody: {
            required: true,
            description: route.requestBody.description,
            content: Object.fromEntries(
              (route.requestBody.contentTypes ?? ["application/json", "application/yaml"]).map((type) => [type, { schema: route.requestBody!.schema }]),
            ),
          },
        }
      : {}),
    responses,
  };
}
