import { z } from "zod";
import { type ResourceTypeDescriptor, resourceTypes, toWire } from "@zonemesh/resources";
import type { StoredResource } from "@zonemesh/store";
import type { JsonSchema } from "./route";

export type ResourceType = ResourceTypeDescriptor;

export const resourceSchemaRef = (type: ResourceType): JsonSchema => ({ $ref: `#/components/schemas/${type.name}` });

const metaProperties = (type: ResourceType): Record<string, JsonSchema> => ({
  type: { const: type.name },
  name: { type: "string" },
  ...(type.scope === "Mesh" ? { mesh: { type: "string" } } : {}),
  labels: { type: "object", additionalProperties: { type: "string" } },
  creationTime: { type: "string", format: "date-time", readOnly: true },
  modificationTime: { type: "string", format: "date-time", readOnly: true },
});

/** Each type's wire shape for the OpenAPI document: its registry schema (the body) plus Kuma's meta fields. */
export function resourceSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    resourceTypes.map((type) => {
      const body = z.toJSONSchema(type.schema, { io: "input", unrepresentable: "any" }) as JsonSchema & { properties?: Record<string, unknown> };
      const { $schema: _dialect, ...schema } = body;
      return [type.name, { ...schema, type: "object", properties: { ...metaProperties(type), ...(schema.properties ?? {}) } }];
    }),
  );
}

/** Kuma's JSON for a stored resource (the store types `spec` as unknown; resources' toWire wants an object). */
export const wireOf = (stored: StoredResource) => toWire({ ...stored, spec: stored.spec as object });
