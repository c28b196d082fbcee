// Typed access to the global control plane's REST API (Kuma-compatible). Every response is checked
// against a zod schema; problem bodies become TRPCErrors whose cause carries the CP's field errors.
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { z } from "zod";
import {
  META_FIELDS,
  dataplaneBody,
  dataplaneInsightBody,
  spiffeIdMatch,
  validateBody,
  zoneBody,
  zoneIngressBody,
  zoneIngressInsightBody,
  zoneInsightBody,
} from "@zonemesh/resources";
import { keepRecent } from "./keep-recent";

export interface InvalidParameter {
  field: string;
  reason: string;
}

/** What the CP said when it refused a request; the tRPC error formatter exposes it to clients. */
export class CpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParameters: InvalidParameter[],
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "CpProblem";
  }
}

const problemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  details: z.string().optional(),
  invalid_parameters: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  causes: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

const codeByStatus: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
};

function problemToError(status: number, body: unknown, text: string): TRPCError {
  const parsed = problemSchema.safeParse(body);
  const problem = parsed.success ? parsed.data : {};
  const invalid =
    problem.invalid_parameters ?? problem.causes?.map((cause) => ({ field: cause.field, reason: cause.message })) ?? [];
  const cause = new CpProblem(status, problem.title ?? `HTTP ${status}`, problem.detail ?? problem.details ?? (parsed.success ? "" : text), invalid);
  return new TRPCError({ code: codeByStatus[status] ?? (status >= 500 ? "BAD_GATEWAY" : "BAD_REQUEST"), message: cause.message, cause });
}

/** Kuma's list envelope. */
export function listSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ total: z.number().int().min(0), items: z.array(item), next: z.string().nullable().optional() });
}

export type QueryValue = string | number | boolean | undefined;

export interface CpRequest<Schema extends z.ZodType> {
  method?: "GET" | "PUT" | "POST" | "DELETE";
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: Schema;
  /**
   * Send the ETag of the last answer to this URL as If-None-Match and reuse that answer (already parsed) on 304.
   * Only for URLs always read with the same schema; the answer is shared between requests and must not be mutated.
   */
  conditional?: boolean;
}

export interface CpClient {
  readonly baseUrl: string;
  request<Schema extends z.ZodType>(request: CpRequest<Schema>): Promise<z.infer<Schema>>;
  /** Like request, but a 404 resolves to null (optional endpoints, resources that may be gone). */
  requestOrNull<Schema extends z.ZodType>(request: CpRequest<Schema>): Promise<z.infer<Schema> | null>;
}

/** `/meshes/{mesh}/{plural}/{name}` with every segment escaped. */
export const apiPath = (...segments: string[]) => "/" + segments.map(encodeURIComponent).join("/");

/** The last answer to each conditional GET, by token and URL, oldest first (a context lives for one tRPC request). */
const conditionalAnswers = new Map<string, { etag: string; data: unknown }>();
const CONDITIONAL_ANSWERS_KEPT = 64;
const keepAnswer = (key: string, answer: { etag: string; data: unknown }) => keepRecent(conditionalAnswers, key, answer, CONDITIONAL_ANSWERS_KEPT);

/** How long one CP call may take, body included: a CP that accepts and never answers must not hold a page open. */
export const CP_TIMEOUT_MS = 10_000;

export function createCpClient(baseUrl: string, token?: string, { timeoutMs = CP_TIMEOUT_MS }: { timeoutMs?: number } = {}): CpClient {
  const base = baseUrl.replace(/\/+$/, "");
  const unavailable = (error: unknown) =>
    (error as Error).name === "TimeoutError"
      ? new TRPCError({ code: "GATEWAY_TIMEOUT", message: `the control plane at ${base} did not answer within ${timeoutMs} ms` })
      : new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `cannot reach the control plane at ${base}: ${String((error as Error).cause ?? (error as Error).message)}` });

  async function send<Schema extends z.ZodType>(request: CpRequest<Schema>, allowNotFound: boolean) {
    const url = new URL(base + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const answerKey = `${token ?? ""} ${url.toString()}`;
    const kept = request.conditional ? conditionalAnswers.get(answerKey) : undefined;
    if (kept) headers["if-none-match"] = kept.etag;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method ?? "GET",
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        cache: "no-store",
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw unavailable(error);
    }
    if (response.status === 304 && kept) {
      keepAnswer(answerKey, kept);
      return kept.data as z.infer<Schema>;
    }
    const body = parseJson(text);
    if (response.status === 404 && allowNotFound) return null;
    if (!response.ok) throw problemToError(response.status, body, text);
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) {
      throw new TRPCError({
        code: "BAD_GATEWAY",
        message: `unexpected response from ${request.method ?? "GET"} ${request.path}: ${z.prettifyError(parsed.error)}`,
      });
    }
    const etag = response.headers.get("etag");
    if (request.conditional && etag) keepAnswer(answerKey, { etag, data: parsed.data });
    return parsed.data as z.infer<Schema>;
  }

  return {
    baseUrl: base,
    request: async (request) => (await send(request, false)) as z.infer<typeof request.schema>,
    requestOrNull: (request) => send(request, true),
  };
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---- Typed endpoints ----------------------------------------------------------------------------

const metaSchema = z.object({
  type: z.string(),
  mesh: z.string().optional(),
  name: z.string(),
  labels: z.record(z.string(), z.string()).default({}),
  creationTime: z.string().optional(),
  modificationTime: z.string().optional(),
});

/** A resource as the GUI handles it: Kuma's meta fields, and the body checked against the shared schema. */
export interface WireResource<Body = Record<string, unknown>> {
  type: string;
  mesh: string;
  name: string;
  labels: Record<string, string>;
  creationTime: string | undefined;
  modificationTime: string | undefined;
  body: Body;
}

/** Kuma's JSON (`{type, mesh, name, labels, ...body}`) split into meta and a body validated by its type's schema. */
export const wireResourceSchema = z.looseObject({}).transform((input, ctx): WireResource => {
  const meta = metaSchema.safeParse(input);
  if (!meta.success) {
    for (const issue of meta.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
    return z.NEVER;
  }
  const rawBody = Object.fromEntries(Object.entries(input).filter(([key]) => !(META_FIELDS as readonly string[]).includes(key)));
  const body = validateBody(meta.data.type, rawBody);
  if (!body.ok) {
    for (const error of body.errors) ctx.addIssue({ code: "custom", path: [error.field], message: error.reason });
    return z.NEVER;
  }
  return {
    type: meta.data.type,
    mesh: meta.data.mesh ?? "",
    name: meta.data.name,
    labels: meta.data.labels,
    creationTime: meta.data.creationTime,
    modificationTime: meta.data.modificationTime,
    body: body.body as Record<string, unknown>,
  };
});

const overviewMeta = {
  name: z.string(),
  mesh: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  creationTime: z.string().optional(),
  modificationTime: z.string().optional(),
};

export const dataplaneOverviewSchema = z.object({
  ...overviewMeta,
  mesh: z.string(),
  dataplane: dataplaneBody.extend({ mesh: z.string().optional() }),
  dataplaneInsight: dataplaneInsightBody.default({}),
});
export type DataplaneOverview = z.infer<typeof dataplaneOverviewSchema>;

export const zoneOverviewSchema = z.object({
  ...overviewMeta,
  zone: zoneBody,
  zoneInsight: zoneInsightBody.default({}),
});
export type ZoneOverview = z.infer<typeof zoneOverviewSchema>;

export const zoneIngressOverviewSchema = z.object({
  ...overviewMeta,
  zoneIngress: zoneIngressBody,
  zoneIngressInsight: zoneIngressInsightBody.default({}),
});

const counts = z.object({ total: z.number().default(0), online: z.number().default(0), offline: z.number().default(0) });
const emptyCounts = { total: 0, online: 0, offline: 0 };

export const globalInsightSchema = z.object({
  createdAt: z.string().optional(),
  meshes: z.object({ total: z.number() }),
  zones: z.object({ controlPlanes: counts.default(emptyCounts), zoneIngresses: counts.default(emptyCounts) }),
  dataplanes: z.object({
    standard: counts.extend({ partiallyDegraded: z.number() }),
    gatewayBuiltin: counts.default(emptyCounts),
    gatewayDelegated: counts.default(emptyCounts),
  }),
  services: z.object({ total: z.number(), internal: counts.default(emptyCounts) }),
  policies: z.object({ total: z.number() }),
});

const dataplaneStat = z.object({ online: z.number().int(), offline: z.number().int(), total: z.number().int() });

/** `/meshes/{mesh}/service-insights` items: Kuma's per-service counts, and the zones it runs in ("" for none). */
export const serviceInsightSchema = z.object({
  mesh: z.string(),
  name: z.string(),
  status: z.enum(["online", "offline", "partially_degraded", "not_available"]),
  dataplanes: dataplaneStat,
  zones: z.array(z.object({ name: z.string(), dataplanes: dataplaneStat })),
});
export type ServiceInsight = z.infer<typeof serviceInsightSchema>;

/** `/meshes/{mesh}/policy-counts` (or `/policy-counts`): the number of policies of each type. */
export const policyCountsSchema = z.object({ policies: z.record(z.string(), z.object({ total: z.number().int() })) });

export const indexSchema = z.object({
  version: z.string(),
  hostname: z.string().optional(),
  mode: z.enum(["global", "zone", "standalone"]).optional(),
  instanceId: z.string().optional(),
  clusterId: z.string().optional(),
});

/** Kuma's list parameters: `size`, `offset`, `name` (substring) and `filter[labels.<key>]`, and a list's own filters. */
export interface ListParams {
  size?: number;
  offset?: number;
  name?: string | undefined;
  labels?: Record<string, string>;
  /** Filters of one list, e.g. `service`, `tag`, `zone`, `status` of `dataplanes+insights`. */
  filters?: Record<string, QueryValue>;
  /** Conditional page requests (see CpRequest.conditional). */
  conditional?: boolean;
}

export function listQuery({ size, offset, name, labels, filters }: Omit<ListParams, "conditional">): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { ...filters, size, offset, name };
  for (const [key, value] of Object.entries(labels ?? {})) query[`filter[labels.${key}]`] = value;
  return query;
}

/** The items of conditionally read pages, by their first page: reused while every page is the one read last time. */
const conditionalLists = new WeakMap<object, { pages: object[]; items: unknown[] }>();

/**
 * Every page of a list, for views that aggregate a whole list: the first page, then the others at once. Read
 * conditionally, a list whose pages all answered 304 is the same array as last time, so callers can reuse what
 * they built from it.
 */
export async function listAll<Item extends z.ZodType>(cp: CpClient, path: string, item: Item, params: Omit<ListParams, "size" | "offset"> = {}) {
  const pageSize = 1000;
  const page = (offset: number) =>
    cp.request({ path, query: listQuery({ ...params, size: pageSize, offset }), schema: listSchema(item), ...(params.conditional ? { conditional: true } : {}) });
  const first = await page(0);
  const offsets: number[] = [];
  for (let offset = pageSize; offset < first.total; offset += pageSize) offsets.push(offset);
  const pages = [first, ...(await Promise.all(offsets.map(page)))];
  const kept = params.conditional ? conditionalLists.get(first) : undefined;
  if (kept && kept.pages.length === pages.length && kept.pages.every((known, i) => known === pages[i])) return kept.items as z.infer<Item>[];
  const items = pages.flatMap((result): z.infer<Item>[] => result.items);
  if (params.conditional) conditionalLists.set(first, { pages, items });
  return items;
}

const tagsSchema = z.record(z.string(), z.string());
const policyRefSchema = z.object({ type: z.string(), mesh: z.string(), name: z.string() });
const ruleSchema = z.object({
  matchers: z.array(z.object({ key: z.string(), value: z.string() })),
  conf: z.record(z.string(), z.unknown()),
  origin: z.array(policyRefSchema),
});
const inboundTagsSchema = z.object({ port: z.number(), tags: tagsSchema });

/** `/meshes/{mesh}/dataplanes/{name}/_rules`: per policy type, what applies to the dataplane and where it comes from. */
export const dataplaneRulesSchema = z.object({
  rules: z.array(
    z.object({
      type: z.string(),
      toRules: z.array(ruleSchema).default([]),
      fromRules: z.array(z.object({ inbound: inboundTagsSchema, rules: z.array(ruleSchema) })).default([]),
      inboundRules: z.array(z.object({ inbound: inboundTagsSchema, conf: z.record(z.string(), z.unknown()), origin: z.array(policyRefSchema) })).default([]),
      inboundMatchedRules: z
        .array(z.object({ inbound: inboundTagsSchema, rules: z.array(z.object({ matches: z.array(spiffeIdMatch), conf: z.record(z.string(), z.unknown()), origin: z.array(policyRefSchema) })) }))
        .default([]),
      singleItemRules: z.array(z.object({ conf: z.record(z.string(), z.unknown()), origin: z.array(policyRefSchema) })).default([]),
    }),
  ),
});
export type DataplaneRules = z.infer<typeof dataplaneRulesSchema>;

export const resourceMetaSchema = z.object({ type: z.string(), mesh: z.string(), name: z.string(), labels: tagsSchema.default({}) });

/** `POST /meshes/{mesh}/{policy-plural}/{name}/_preview`: the dry run of a policy. */
export const policyPreviewSchema = z.object({
  stored: wireResourceSchema.nullable(),
  changes: z.array(z.object({ path: z.string(), op: z.enum(["add", "remove", "replace"]), from: z.unknown().optional(), to: z.unknown().optional() })),
  dataplanes: z.object({ selected: z.array(resourceMetaSchema), added: z.array(resourceMetaSchema), removed: z.array(resourceMetaSchema) }),
});
export type PolicyPreview = z.infer<typeof policyPreviewSchema>;
