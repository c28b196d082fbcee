// HTTP access to the control plane's REST API; problem bodies become ApiError with their field/reason pairs.
import type { z } from "zod";
import { problemSchema } from "./responses";

export interface InvalidParameter {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly invalidParameters: InvalidParameter[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiClient {
  request(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<ApiResponse>;
}

/** The response body read through `schema`; an unexpected shape is an ApiError rather than a crash further on. */
export async function fetchAs<Schema extends z.ZodType>(client: ApiClient, schema: Schema, path: string): Promise<z.infer<Schema>> {
  const { status, body } = await client.request("GET", path);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(status, `unexpected response from GET ${path}: ${parsed.error.issues[0]?.message ?? "wrong shape"}`, []);
  return parsed.data;
}

export function createApiClient(apiUrl: string, token: string | undefined): ApiClient {
  const base = apiUrl.replace(/\/+$/, "");
  return {
    async request(method, path, body, extraHeaders = {}) {
      const headers: Record<string, string> = { accept: "application/json", ...extraHeaders };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      let response: Response;
      try {
        response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (error) {
        throw new ApiError(0, `cannot reach the control plane at ${base}: ${(error as Error).cause ?? (error as Error).message}`, []);
      }
      const text = await response.text();
      const parsed = parseBody(text, response.headers.get("content-type"));
      if (!response.ok) throw problemToError(response.status, parsed, text);
      return { status: response.status, body: parsed };
    },
  };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!contentType?.includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function problemToError(status: number, body: unknown, text: string): ApiError {
  const parsed = problemSchema.safeParse(body);
  if (!parsed.success) return new ApiError(status, `HTTP ${status}: ${text}`, []);
  const problem = parsed.data;
  const invalid = problem.invalid_parameters ?? problem.causes?.map((c) => ({ field: c.field, reason: c.message })) ?? [];
  return new ApiError(status, `${problem.title ?? `HTTP ${status}`}: ${problem.detail ?? problem.details ?? ""}`, invalid);
}

/** `error: <title>: <detail>` then one indented `field: reason` line per invalid parameter. */
export function formatApiError(error: ApiError): string {
  return [`error: ${error.message}`, ...error.invalidParameters.map((p) => `  ${p.field}: ${p.reason}`)].join("\n") + "\n";
}
