import { accessLogSocketPath } from "@zonemesh/resources";
import { typeNames, typed, type AccessLog, type FileAccessLog, type Struct } from "@zonemesh/xds";
import type { Warn } from "./input";
import type { AccessLogConf } from "./policy-confs";
import type { Merged } from "./resolved-policies";

// Kuma's default formats, with its %KUMA_*% placeholders filled in by the control plane.
const defaultHttpFormat =
  '[%START_TIME%] %KUMA_MESH% "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "%KUMA_SOURCE_SERVICE%" "%KUMA_DESTINATION_SERVICE%" "%UPSTREAM_HOST%"\n';
const defaultTcpFormat =
  "[%START_TIME%] %RESPONSE_FLAGS% %KUMA_MESH% %KUMA_SOURCE_SERVICE%->%UPSTREAM_HOST%(%KUMA_DESTINATION_SERVICE%) took %DURATION%ms, sent %BYTES_SENT% bytes, received: %BYTES_RECEIVED% bytes\n";

export interface AccessLogContext {
  mesh: string;
  /** The proxy's Dataplane: a tcp backend's entries go to its zonemesh-dp's socket. */
  dataplane: string;
  sourceService: string;
  destinationService: string;
  http: boolean;
}

function fillPlaceholders(format: string, context: AccessLogContext): string {
  return format
    .replaceAll("%KUMA_MESH%", context.mesh)
    .replaceAll("%KUMA_SOURCE_SERVICE%", context.sourceService)
    .replaceAll("%KUMA_DESTINATION_SERVICE%", context.destinationService);
}

type Format = NonNullable<NonNullable<NonNullable<AccessLogConf["backends"]>[number]["file"]>["format"]>;

// protobufjs' built-in google.protobuf.Value has camelCase fields, unlike the Envoy messages loaded with keepCase.
const jsonFields = (format: Format, context: AccessLogContext): Struct => ({ fields: Object.fromEntries((format.json ?? []).map(({ key, value }) => [key, { stringValue: fillPlaceholders(value, context) }])) });
// Kuma ends a plain format with a newline (as its defaults): Envoy writes each entry exactly as formatted.
const plainText = (format: Format | undefined, context: AccessLogContext) => fillPlaceholders(format?.plain !== undefined ? `${format.plain}\n` : context.http ? defaultHttpFormat : defaultTcpFormat, context);

function logFormat(format: Format | undefined, context: AccessLogContext): FileAccessLog["log_format"] {
  if (format?.type === "Json") return { json_format: jsonFields(format, context) };
  return { text_format_source: { inline_string: plainText(format, context) } };
}

/** A tcp backend's entry, as Kuma's: the collector's address beside the formatted message, for zonemesh-dp to relay. */
function tcpLogFormat(address: string, format: Format | undefined, context: AccessLogContext): FileAccessLog["log_format"] {
  const message = format?.type === "Json" ? { structValue: jsonFields(format, context) } : { stringValue: plainText(format, context) };
  return { json_format: { fields: { address: { stringValue: address }, message } } };
}

const fileLog = (config: FileAccessLog): AccessLog => ({ name: "envoy.access_loggers.file", typed_config: typed(typeNames.fileAccessLog, config) });

/**
 * MeshAccessLog backends as Envoy access loggers: file backends as file loggers; tcp backends, as Kuma's, as file
 * loggers to the socket zonemesh-dp listens on and relays from. OpenTelemetry is not supported.
 */
export function accessLogs(merged: Merged<AccessLogConf> | undefined, context: AccessLogContext, warn: Warn): AccessLog[] {
  const logs: AccessLog[] = [];
  for (const backend of merged?.conf.backends ?? []) {
    if (backend.file) logs.push(fileLog({ path: backend.file.path, log_format: logFormat(backend.file.format, context) }));
    else if (backend.tcp) logs.push(fileLog({ path: accessLogSocketPath(context.dataplane, context.mesh), log_format: tcpLogFormat(backend.tcp.address, backend.tcp.format, context) }));
    else warn(merged?.origins ?? [], "access log backend openTelemetry is not supported, only file and tcp backends are");
  }
  return logs;
}
