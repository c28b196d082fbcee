import type { WireNode, WireStruct, WireValue } from "../protos/discovery-messages";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The proxy's identity as it sent it on the first request of a stream; metadata as plain JSON. */
export interface XdsNode {
  id: string;
  cluster: string;
  metadata: Record<string, JsonValue>;
  locality?: { region?: string; zone?: string; sub_zone?: string };
  userAgent?: string;
}

function valueToJson(value: WireValue): JsonValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.structValue !== undefined) return structToJson(value.structValue);
  if (value.listValue !== undefined) return (value.listValue.values ?? []).map(valueToJson);
  return null;
}

export function structToJson(struct: WireStruct | undefined): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(struct?.fields ?? {}).map(([key, value]) => [key, valueToJson(value)]));
}

function jsonToValue(value: JsonValue): WireValue {
  if (value === null) return { nullValue: "NULL_VALUE" };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "number") return { numberValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } };
  return { structValue: jsonToStruct(value) };
}

/** Plain JSON as a google.protobuf.Struct, e.g. a node's metadata: the inverse of structToJson. */
export function jsonToStruct(json: Record<string, JsonValue>): WireStruct {
  return { fields: Object.fromEntries(Object.entries(json).map(([key, value]) => [key, jsonToValue(value)])) };
}

export function nodeFromWire(node: WireNode): XdsNode {
  const userAgent = [node.user_agent_name, node.user_agent_version].filter(Boolean).join("/");
  return {
    id: node.id ?? "",
    cluster: node.cluster ?? "",
    metadata: structToJson(node.metadata),
    ...(node.locality ? { locality: node.locality } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}
