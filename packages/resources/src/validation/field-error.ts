import type { z } from "zod";

export interface FieldError {
  /** Path of the offending field, e.g. `spec.from[0].default.action`, `name`, `networking.inbound[0].tags["kuma.io/service"]`. */
  field: string;
  reason: string;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  record: "an object",
  object: "an object",
  array: "a list",
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
};

function sizeUnit(origin: string): string {
  if (origin === "string") return "characters";
  return "elements";
}

/** Reasons phrased for people editing YAML, instead of zod's defaults. */
export const reasonFor: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "required field is missing" : `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "too_small":
      if (issue.origin === "number") return `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}`;
      return `must have at least ${issue.minimum} ${sizeUnit(issue.origin)}`;
    case "too_big":
      if (issue.origin === "number") return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
      return `must have at most ${issue.maximum} ${sizeUnit(issue.origin)}`;
    case "invalid_format":
      return issue.pattern ? `has an invalid format (must match ${issue.pattern})` : `must be a valid ${issue.format}`;
    case "invalid_union":
      return "does not match any of the allowed shapes";
    default:
      return undefined;
  }
};

/** One FieldError per problem; an object with several unknown keys yields one error per key. */
export function fieldErrorsFrom(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: formatFieldPath([...path, key]), reason: "unknown field" }));
    }
    return [{ field: formatFieldPath(path), reason: issue.message }];
  });
}
