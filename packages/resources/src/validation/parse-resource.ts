import { z } from "zod";
import { resourceTypeNames, typeByName } from "../registry";
import { META_FIELDS, type Resource } from "../resource";
import { type FieldError, fieldErrorsFrom, reasonFor } from "./field-error";
import { metaErrors, nameError } from "./meta";

export type ParseResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldError[] };

const labelsSchema = z.record(z.string().min(1), z.string());
const timestampOrDate = z.union([z.iso.datetime({ offset: true }), z.date()]);

/** Validates a body (everything but meta fields) against its type's schema; unknown types are an error on `type`. */
export function validateBody(type: string, body: unknown): ParseResult<{ body: object }> {
  const descriptor = typeByName(type);
  if (!descriptor) return { ok: false, errors: [unknownTypeError(type)] };
  const result = descriptor.schema.safeParse(body, { error: reasonFor });
  if (!result.success) return { ok: false, errors: fieldErrorsFrom(result.error) };
  return { ok: true, body: result.data as object };
}

/** Validates one resource in Kuma's JSON shape (`{type, mesh, name, labels, ...body}`) and reports every problem at once. */
export function parseResource(input: unknown): ParseResult<{ resource: Resource }> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", reason: "a resource must be an object" }] };
  }
  const fields = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const descriptor = typeof fields.type === "string" ? typeByName(fields.type) : undefined;
  if (descriptor) errors.push(...metaErrors({ name: fields.name, mesh: fields.mesh }, descriptor.scope, descriptor.name));
  else {
    // Without a type the scope is unknown, so only the name can be checked.
    errors.push(unknownTypeError(fields.type));
    const name = nameError(fields.name);
    if (name) errors.push({ field: "name", reason: name });
  }

  const labels = labelsSchema.optional().safeParse(fields.labels, { error: reasonFor });
  if (!labels.success) errors.push(...fieldErrorsFrom(labels.error, ["labels"]));
  for (const field of ["creationTime", "modificationTime"] as const) {
    if (fields[field] !== undefined && !timestampOrDate.safeParse(fields[field]).success) {
      errors.push({ field, reason: "must be an RFC 3339 timestamp" });
    }
  }

  const rawBody = Object.fromEntries(Object.entries(fields).filter(([key]) => !(META_FIELDS as readonly string[]).includes(key)));
  const body = descriptor ? validateBody(descriptor.name, rawBody) : undefined;
  if (body && !body.ok) errors.push(...body.errors);

  if (errors.length > 0 || !descriptor || !body?.ok) return { ok: false, errors };
  return {
    ok: true,
    resource: {
      type: descriptor.name,
      mesh: descriptor.scope === "Global" ? "" : (fields.mesh as string),
      name: fields.name as string,
      labels: labels.data ?? {},
      body: body.body,
    },
  };
}

function unknownTypeError(type: unknown): FieldError {
  if (type === undefined) return { field: "type", reason: "required field is missing" };
  return { field: "type", reason: `unknown type ${JSON.stringify(type)}, must be one of: ${resourceTypeNames.join(", ")}` };
}
