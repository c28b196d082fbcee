import { createWriteStream, statSync } from "node:fs";
import net from "node:net";
import type { Writable } from "node:stream";
import type { AccessLog, FileAccessLog, Struct, StructValue } from "@zonemesh/xds";
import type { HeaderLookup } from "./header-matcher";

/** What one HTTP request or TCP connection leaves for the access log. */
export interface AccessLogEntry {
  startTime: Date;
  durationMs: number;
  bytesReceived: number;
  bytesSent: number;
  upstreamHost: string | undefined;
  /** HTTP only. */
  request?: { headers: HeaderLookup; protocol: string };
  responseCode?: number;
  /** Envoy's response flags, e.g. "UF" (upstream connection failure), "-" for none. */
  responseFlags: string;
}

type Operator = (entry: AccessLogEntry) => string;

const operators: Record<string, (argument: string | undefined) => Operator> = {
  START_TIME: () => (entry) => entry.startTime.toISOString(),
  DURATION: () => (entry) => String(Math.round(entry.durationMs)),
  BYTES_RECEIVED: () => (entry) => String(entry.bytesReceived),
  BYTES_SENT: () => (entry) => String(entry.bytesSent),
  UPSTREAM_HOST: () => (entry) => entry.upstreamHost ?? "-",
  PROTOCOL: () => (entry) => entry.request?.protocol ?? "-",
  RESPONSE_CODE: () => (entry) => String(entry.responseCode ?? 0),
  RESPONSE_FLAGS: () => (entry) => entry.responseFlags,
  // REQ(A?B): header A, or B when A is absent.
  REQ: (argument) => {
    const names = (argument ?? "").split("?").map((name) => name.toLowerCase());
    return (entry) => {
      for (const name of names) {
        const value = entry.request?.headers(name);
        if (value !== undefined) return value;
      }
      return "-";
    };
  },
};

function compileFormat(format: string): Operator {
  const parts: Operator[] = [];
  let last = 0;
  for (const match of format.matchAll(/%([A-Z_]+)(?:\(([^)]*)\))?(?::(\d+))?%/g)) {
    const literal = format.slice(last, match.index);
    parts.push(() => literal);
    const operator = operators[match[1] as string];
    if (!operator) throw new Error(`access log command operator %${match[1]}% is not supported`);
    const compiled = operator(match[2]);
    const maxLength = match[3] === undefined ? undefined : Number(match[3]);
    parts.push(maxLength === undefined ? compiled : (entry) => compiled(entry).slice(0, maxLength));
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = format.slice(last);
  parts.push(() => tail);
  return (entry) => parts.map((part) => part(entry)).join("");
}

function compileStruct(struct: Struct): (entry: AccessLogEntry) => object {
  const fields = Object.entries(struct.fields ?? {}).map(([key, value]) => [key, compileValue(value)] as const);
  return (entry) => Object.fromEntries(fields.map(([key, value]) => [key, value(entry)]));
}

function compileValue(value: StructValue): (entry: AccessLogEntry) => unknown {
  if (value.stringValue !== undefined) return compileFormat(value.stringValue);
  if (value.structValue !== undefined) return compileStruct(value.structValue);
  return () => value.numberValue ?? value.boolValue ?? null;
}

const defaultFormat = '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "%UPSTREAM_HOST%"\n';
const sinks = new Map<string, Writable>();
/** Entries held for a socket that is slow or not connected yet; more are dropped, as a log must not hold traffic up. */
const maxPendingBytes = 1024 * 1024;

/**
 * Where a path's entries go: appended to the file, or, when a unix socket listens at the path (zonemesh-dp relaying
 * MeshAccessLog tcp backends), written to a connection to it. A sink that fails is dropped and opened again on the
 * next entry.
 */
function sinkFor(path: string): Writable {
  let sink = sinks.get(path);
  if (sink && !sink.destroyed) return sink;
  if (statSync(path, { throwIfNoEntry: false })?.isSocket()) {
    const socket = net.connect({ path });
    socket.unref();
    sink = socket;
  } else sink = createWriteStream(path, { flags: "a" });
  const opened = sink;
  opened.on("error", () => opened.destroy());
  opened.on("close", () => {
    if (sinks.get(path) === opened) sinks.delete(path);
  });
  sinks.set(path, opened);
  return opened;
}

function append(path: string, line: string): void {
  const sink = sinkFor(path);
  if (sink.writableLength < maxPendingBytes) sink.write(line);
}

/** Envoy's file access logger: text_format_source or json_format lines, appended to the file (or written to the socket) at its path. */
export function compileAccessLogs(logs: readonly AccessLog[] | undefined, path: string): (entry: AccessLogEntry) => void {
  const writers = (logs ?? []).map((log, index) => {
    const config = log.typed_config as unknown as FileAccessLog;
    const format = config.log_format;
    try {
      const line = format?.json_format ? ((json) => (entry: AccessLogEntry) => `${JSON.stringify(json(entry))}\n`)(compileStruct(format.json_format as Struct)) : compileFormat(format?.text_format_source?.inline_string ?? defaultFormat);
      return (entry: AccessLogEntry) => append(config.path, line(entry));
    } catch (error) {
      throw new Error(`${path}.access_log[${index}]: ${(error as Error).message}`);
    }
  });
  return (entry) => {
    for (const write of writers) write(entry);
  };
}
