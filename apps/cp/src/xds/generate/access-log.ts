import { typeNames, typed, type AccessLog, type FileAccessLog } from "@zonemesh/xds";
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

function logFormat(format: Format | undefined, context: AccessLogContext): FileAccessLog["log_format"] {
  if (format?.type === "Json") {
    // protobufjs' built-in google.protobuf.Value has camelCase fields, unlike the Envoy messages loaded with keepCase.
    const fields = Object.fromEntries((format.json ?? []).map(({ key, value }) => [key, { stringValue: fillPlaceholders(value, context) }]));
    return { json_format: { fields } };
  }
  // Kuma ends a plain format with a newline (as its defaults): Envoy writes each entry exactly as formatted.
  const text = format?.plain !== undefined ? `${format.plain}\n` : context.http ? defaultHttpFormat : defaultTcpFormat;
  return { text_format_source: { inline_string: fillPlaceholders(text, context) } };
}

/** MeshAccessLog backends as Envoy access loggers; only file backends have an Envoy logger here. */
export function accessLogs(merged: Merged<AccessLogConf> | undefined, context: AccessLogContext, warn: Warn): AccessLog[] {
  const logs: AccessLog[] = [];
  for (const backend of merged?.conf.backends ?? []) {
    if (backend.file) {
      const config: FileAccessLog = { path: backend.file.path, log_format: logFormat(backend.file.format, context) };
      logs.push({ name: "envoy.access_loggers.file", typed_config: typed(typeNames.fileAccessLog, config) });
    } else {
      warn(merged?.origins ?? [], `access log backend ${backend.tcp ? `tcp ${backend.tcp.address}` : "openTelemetry"} is not supported, only file backends are`);
    }
  }
  return logs;
}
