import { z } from "zod";
import type { ResourceStore } from "@zonemesh/store";
import { parseDuration } from "../auth/duration";
import type { TokenService } from "../auth/tokens";
import { parseInput } from "./parse-input";
import { badRequest } from "./problem";
import type { ApiRoute, JsonSchema } from "./route";
import type { CpMode } from "./system-routes";

const validFor = z
  .string()
  .default("24h")
  .refine((text) => parseDuration(text) !== null, 'must be a duration such as "24h", "30m" or "1h30m"');

const dataplaneTokenRequest = z.strictObject({
  mesh: z.string().min(1),
  name: z.string().min(1).optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
  /** Kuma's proxy type the token is for. */
  type: z.enum(["dataplane", "ingress", "egress"]).optional(),
  validFor,
});
const zoneTokenRequest = z.strictObject({
  zone: z.string().min(1),
  scope: z.array(z.enum(["cp", "ingress", "egress"])).default(["cp", "ingress", "egress"]),
  validFor,
});
const zoneIngressTokenRequest = z.strictObject({ zone: z.string().min(1), validFor });
const userTokenRequest = z.strictObject({ name: z.string().min(1), groups: z.array(z.string()).optional(), validFor });

const requestSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

function tokenRoute<Schema extends z.ZodType>(
  path: string,
  operationId: string,
  summary: string,
  description: string,
  schema: Schema,
  issue: (input: z.infer<Schema>) => Promise<string>,
): ApiRoute {
  return {
    method: "POST",
    path,
    operationId,
    summary,
    description,
    tag: "Tokens",
    requestBody: { description: "Token claims; `validFor` defaults to 24h", schema: requestSchema(schema), contentTypes: ["application/json"] },
    responses: { 200: { description: "The signed token (a JWT)", schema: { type: "string" }, contentType: "text/plain" } },
    handler: async (request, reply) => reply.type("text/plain").send(await issue(parseInput(schema, request.body, "token request"))),
  };
}

/** Kuma's token endpoints; admin-only like every non-public route. */
export function tokenRoutes(deps: { store: ResourceStore; tokens: TokenService; mode: CpMode }): ApiRoute[] {
  const { store, tokens, mode } = deps;
  return [
    tokenRoute(
      "/tokens/dataplane",
      "generateDataplaneToken",
      "Issue a dataplane token",
      "The xDS server accepts a dataplane's connection only with a token for its mesh (and its name/tags when set).",
      dataplaneTokenRequest,
      async (input) => {
        if (!(await store.get({ type: "Mesh", mesh: "", name: input.mesh }))) {
          throw badRequest(`mesh "${input.mesh}" does not exist`, [{ field: "mesh", reason: `mesh "${input.mesh}" does not exist` }]);
        }
        const claims = { mesh: input.mesh, name: input.name, tags: input.tags, proxyType: input.type };
        return tokens.issueToken("dataplane", claims, parseDuration(input.validFor)!);
      },
    ),
    tokenRoute(
      "/tokens/zone",
      "generateZoneToken",
      "Issue a zone token",
      "A zone control plane presents it to the global control plane's KDS server. Issued by the global (or standalone) CP only.",
      zoneTokenRequest,
      async (input) => {
        if (mode === "zone") throw badRequest("zone tokens are issued by the global control plane; request one there");
        return tokens.issueToken("zone", { zone: input.zone, scope: input.scope }, parseDuration(input.validFor)!);
      },
    ),
    tokenRoute(
      "/tokens/zone-ingress",
      "generateZoneIngressToken",
      "Issue a zone ingress token",
      "A zone ingress presents it on its ADS stream (node id `.<ingress name>`). Issued by the zone (or standalone) CP the ingress connects to, which accepts it only for its own zone.",
      zoneIngressTokenRequest,
      async (input) => {
        if (mode === "global") throw badRequest("zone ingress tokens are issued by the zone control plane the ingress connects to; request one there");
        return tokens.issueToken("zone-ingress", { zone: input.zone }, parseDuration(input.validFor)!);
      },
    ),
    tokenRoute(
      "/tokens/user",
      "generateUserToken",
      "Issue an admin token",
      "Remote API callers send it as `Authorization: Bearer <token>`.",
      userTokenRequest,
      async (input) => tokens.issueToken("admin", { name: input.name, groups: input.groups }, parseDuration(input.validFor)!),
    ),
  ];
}
