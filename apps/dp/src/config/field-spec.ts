/**
 * A whitelist of the Envoy fields the built-in engine implements. A resource with any other field is rejected
 * (NACKed) with the field's path, so nothing the control plane asks for is silently ignored.
 */
export type FieldSpec = true | Shape | MapOf | TypedOf | (() => FieldSpec);
export interface Shape {
  readonly [field: string]: FieldSpec;
}

/** A protobuf map (or google.protobuf.Struct-like record): every value follows `of`. */
export class MapOf {
  constructor(readonly of: FieldSpec) {}
}

/** A google.protobuf.Any: the shape depends on its "@type". */
export class TypedOf {
  constructor(readonly byTypeName: Readonly<Record<string, Shape>>) {}
}

const typePrefix = "type.googleapis.com/";

/** Returns the path and reason of every field outside the spec ("filter_chains[0].filters[1].typed_config: ..."). */
export function unsupportedFields(value: unknown, spec: FieldSpec, path = ""): string[] {
  if (typeof spec === "function") return unsupportedFields(value, spec(), path);
  if (spec === true || value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => unsupportedFields(item, spec, `${path}[${index}]`));
  if (typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (spec instanceof MapOf) return Object.entries(record).flatMap(([key, item]) => unsupportedFields(item, spec.of, `${path}[${JSON.stringify(key)}]`));
  if (spec instanceof TypedOf) {
    const typeUrl = String(record["@type"]);
    const shape = spec.byTypeName[typeUrl.startsWith(typePrefix) ? typeUrl.slice(typePrefix.length) : typeUrl];
    if (!shape) return [`${path}: ${typeUrl} is not supported`];
    const { "@type": _type, ...fields } = record;
    return unsupportedFields(fields, shape, path);
  }
  return Object.entries(record).flatMap(([field, item]) => {
    const fieldPath = path ? `${path}.${field}` : field;
    const fieldSpec = (spec as Shape)[field];
    return fieldSpec === undefined ? [`${fieldPath} is not supported`] : unsupportedFields(item, fieldSpec, fieldPath);
  });
}
