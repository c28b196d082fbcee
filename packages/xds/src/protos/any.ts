import protobuf from "protobufjs";
import { envoyRoot } from "./root";
import { checkMessage } from "./check-plain";
import { toTypeUrl, typeNameOf } from "./type-urls";

/** google.protobuf.Any as it travels on the wire. */
export interface EncodedAny {
  type_url: string;
  value: Uint8Array;
}

/**
 * Options for plain objects: enums by name, 64-bit integers as numbers, bytes as base64, no defaults,
 * nested Any as {"@type": url, ...fields} (so a plain object can be fed back to packAny).
 */
const plainObjectOptions: protobuf.IConversionOptions = { enums: String, longs: Number, bytes: String, defaults: false, json: true };

export function lookupMessageType(typeNameOrUrl: string): protobuf.Type {
  const name = typeNameOf(toTypeUrl(typeNameOrUrl));
  const type = envoyRoot.lookup(name);
  if (!(type instanceof protobuf.Type)) throw new Error(`unknown protobuf message type ${JSON.stringify(name)}`);
  return type;
}

/** Encodes a plain object (snake_case fields, as in the .proto) of the named type; throws naming the offending field. */
export function encodeMessage(typeNameOrUrl: string, plain: unknown): Uint8Array {
  const type = lookupMessageType(typeNameOrUrl);
  const problem = checkMessage(type, plain, type.name);
  if (problem) throw new Error(`invalid ${type.name}: ${problem}`);
  let message: protobuf.Message;
  try {
    message = type.fromObject(plain as Record<string, unknown>);
  } catch (error) {
    throw new Error(`invalid ${type.name}: ${(error as Error).message}`);
  }
  const verifyProblem = type.verify(message);
  if (verifyProblem) throw new Error(`invalid ${type.name}: ${verifyProblem}`);
  return type.encode(message).finish();
}

export function decodeMessage<T = Record<string, unknown>>(typeNameOrUrl: string, bytes: Uint8Array): T {
  const type = lookupMessageType(typeNameOrUrl);
  return type.toObject(type.decode(bytes), plainObjectOptions) as T;
}

/** Packs a plain object into an Any; the type is a full message name or a type URL. */
export function packAny(typeNameOrUrl: string, plain: unknown): EncodedAny {
  return { type_url: toTypeUrl(typeNameOrUrl), value: encodeMessage(typeNameOrUrl, plain) };
}

/** Unpacks an Any into a plain object (enums as names, longs as numbers, bytes as base64, no defaults). */
export function unpackAny<T = Record<string, unknown>>(any: EncodedAny): T {
  return decodeMessage<T>(any.type_url, any.value);
}
