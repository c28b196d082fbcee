import protobuf from "protobufjs";

// protobufjs' fromObject silently drops unknown fields and unknown enum names and coerces
// mistyped scalars (a string port becomes 0). A generator bug would then reach proxies as
// a quietly different config, so every plain object is checked against its type first.

const integerTypes = new Set(["int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const longTypes = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const anyTypeName = ".google.protobuf.Any";

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "string" ? `string ${JSON.stringify(value)}` : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function scalarProblem(protoType: string, value: unknown): string | undefined {
  if (integerTypes.has(protoType)) return Number.isInteger(value) ? undefined : `expected an integer, got ${describe(value)}`;
  if (longTypes.has(protoType)) {
    const ok = Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value));
    return ok ? undefined : `expected an integer or a string of digits, got ${describe(value)}`;
  }
  if (protoType === "double" || protoType === "float") return typeof value === "number" ? undefined : `expected a number, got ${describe(value)}`;
  if (protoType === "bool") return typeof value === "boolean" ? undefined : `expected a boolean, got ${describe(value)}`;
  if (protoType === "string") return typeof value === "string" ? undefined : `expected a string, got ${describe(value)}`;
  if (protoType === "bytes") return typeof value === "string" || value instanceof Uint8Array ? undefined : `expected bytes (base64 string or Uint8Array), got ${describe(value)}`;
  return undefined;
}

function checkValue(field: protobuf.Field, value: unknown, path: string): string | undefined {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === "string") return value in resolved.values ? undefined : `${path}: unknown ${resolved.name} value ${JSON.stringify(value)}`;
    if (typeof value === "number") return value in resolved.valuesById ? undefined : `${path}: unknown ${resolved.name} number ${value}`;
    return `${path}: expected a ${resolved.name} name, got ${describe(value)}`;
  }
  if (resolved instanceof protobuf.Type) return checkMessage(resolved, value, path);
  const problem = scalarProblem(field.type, value);
  return problem && `${path}: ${problem}`;
}

function checkAny(anyType: protobuf.Type, value: Record<string, unknown>, path: string): string | undefined {
  const typeUrl = value["@type"];
  if (typeUrl === undefined) return checkFields(anyType, value, path);
  if (typeof typeUrl !== "string") return `${path}.@type: expected a type URL string, got ${describe(typeUrl)}`;
  const inner = anyType.root.lookup(typeUrl.slice(typeUrl.lastIndexOf("/") + 1));
  if (!(inner instanceof protobuf.Type)) return `${path}.@type: unknown message type ${JSON.stringify(typeUrl)}`;
  const { "@type": _, ...fields } = value;
  return checkFields(inner, fields, path);
}

export function checkMessage(type: protobuf.Type, value: unknown, path: string): string | undefined {
  if (!isPlainObject(value)) return `${path}: expected a ${type.name} object, got ${describe(value)}`;
  return type.fullName === anyTypeName ? checkAny(type, value, path) : checkFields(type, value, path);
}

function checkFields(type: protobuf.Type, value: Record<string, unknown>, path: string): string | undefined {
  for (const [key, fieldValue] of Object.entries(value)) {
    if (fieldValue === undefined || fieldValue === null) continue;
    const field = type.fields[key];
    const fieldPath = `${path}.${key}`;
    if (!field) return `${fieldPath}: unknown field of ${type.fullName.slice(1)}`;
    field.resolve();
    if (field.map) {
      if (!isPlainObject(fieldValue)) return `${fieldPath}: expected a map object, got ${describe(fieldValue)}`;
      for (const [mapKey, item] of Object.entries(fieldValue)) {
        const problem = checkValue(field, item, `${fieldPath}[${JSON.stringify(mapKey)}]`);
        if (problem) return problem;
      }
    } else if (field.repeated) {
      if (!Array.isArray(fieldValue)) return `${fieldPath}: expected an array, got ${describe(fieldValue)}`;
      for (const [index, item] of fieldValue.entries()) {
        const problem = checkValue(field, item, `${fieldPath}[${index}]`);
        if (problem) return problem;
      }
    } else {
      const problem = checkValue(field, fieldValue, fieldPath);
      if (problem) return problem;
    }
  }
  return undefined;
}
