import type { z } from "zod";
import { badRequest } from "./problem";

/** Validates a request body/query against a zod schema; every issue becomes one `{field, reason}`. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest(`${what} is not valid`, result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join(".") : "body",
    reason: issue.message,
  })));
}
