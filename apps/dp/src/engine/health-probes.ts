import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import tls from "node:tls";
import type { HealthCheck, HealthCheckPayload } from "@zonemesh/xds";
import type { UpstreamEndpoint } from "./endpoints";
import { applyHeaderChanges, type HeaderMap } from "./http/headers";

/** Opens a connection to an endpoint as the cluster does (mTLS when it has a TLS transport socket); throws while its secrets are missing. */
export type Connect = (host: string, port: number) => net.Socket;

/** One health check of one endpoint: whether it passed. */
export type Probe = (endpoint: UpstreamEndpoint) => Promise<boolean>;

/** The kind of check, as Envoy names it in health check events. */
export type CheckerType = "HTTP" | "TCP" | "GRPC";

function probeHttp(check: NonNullable<HealthCheck["http_health_check"]>, timeoutMs: number, connect: Connect): Probe {
  const expected = check.expected_statuses?.length ? check.expected_statuses : [{ start: 200, end: 201 }];
  return (endpoint) => {
    const socket = connect(endpoint.host, endpoint.port);
    return new Promise((resolve) => {
      const headers: HeaderMap = { host: check.host ?? endpoint.host, "user-agent": "zonemesh-dp-health-check" };
      applyHeaderChanges(headers, check.request_headers_to_add, undefined);
      // Without an agent, so that the request goes over `socket` (an agent, even `agent: false`, opens its own).
      const request = http.get({ host: endpoint.host, port: endpoint.port, path: check.path, headers, timeout: timeoutMs, createConnection: () => socket }, (response) => {
        response.resume().once("end", () => socket.destroy());
        const status = response.statusCode ?? 0;
        resolve(expected.some((range) => status >= range.start && status < range.end));
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(false));
    });
  };
}

/** A check's end, once: the first verdict, or a failure after `timeoutMs`; `release` closes its connection. */
function settleOnce(timeoutMs: number, release: () => void, resolve: (passed: boolean) => void): (passed: boolean) => void {
  let settled = false;
  const done = (passed: boolean) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    release();
    resolve(passed);
  };
  const timer = setTimeout(() => done(false), timeoutMs);
  return done;
}

/** A payload's bytes: `text` is hex, as Envoy's, `binary` base64 (bytes in xDS's JSON form). */
function payloadBytes(payload: HealthCheckPayload, path: string): Buffer {
  if (payload.text !== undefined) {
    if (!/^([0-9a-fA-F]{2})*$/.test(payload.text)) throw new Error(`${path}.text ${JSON.stringify(payload.text)} is not hex`);
    return Buffer.from(payload.text, "hex");
  }
  return Buffer.from(payload.binary ?? "", "base64");
}

/** Whether `blocks` are all found in `data`, in order, not necessarily next to each other (Envoy's "fuzzy" match). */
function containsInOrder(data: Buffer, blocks: Buffer[]): boolean {
  let from = 0;
  for (const block of blocks) {
    const at = data.indexOf(block, from);
    if (at < 0) return false;
    from = at + block.length;
  }
  return true;
}

/** Connect (and handshake, with mTLS), then optionally send a payload and wait for the expected blocks back. */
function probeTcp(check: NonNullable<HealthCheck["tcp_health_check"]>, timeoutMs: number, connect: Connect, clusterName: string): Probe {
  const path = `cluster ${clusterName}: health_checks[0].tcp_health_check`;
  const send = check.send ? payloadBytes(check.send, `${path}.send`) : undefined;
  const receive = (check.receive ?? []).map((payload, index) => payloadBytes(payload, `${path}.receive[${index}]`));
  return (endpoint) => {
    const socket = connect(endpoint.host, endpoint.port);
    return new Promise((resolve) => {
      const done = settleOnce(timeoutMs, () => socket.destroy(), resolve);
      let received = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (containsInOrder(received, receive)) done(true);
      });
      // A TLS socket is up once its handshake (peer verified) is done, a plain one once connected.
      socket.once(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", () => {
        if (send) socket.write(send);
        if (receive.length === 0) done(true);
      });
      socket.once("error", () => done(false));
      socket.once("close", () => done(false));
    });
  };
}

/** grpc.health.v1.HealthCheckRequest { string service = 1; } in a gRPC message frame. */
function healthCheckRequestFrame(service: string): Buffer {
  const name = Buffer.from(service);
  const length: number[] = [];
  for (let rest = name.length; ; rest >>>= 7) {
    if (rest < 0x80) {
      length.push(rest);
      break;
    }
    length.push((rest & 0x7f) | 0x80);
  }
  const message = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, ...length]), name]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** The `status` (field 1, a varint) of a grpc.health.v1.HealthCheckResponse in a gRPC message frame; 0 (UNKNOWN) when absent. */
function servingStatus(frame: Buffer): number {
  if (frame.length < 5 || frame[0] !== 0) return -1;
  const message = frame.subarray(5, 5 + frame.readUInt32BE(1));
  for (let index = 0; index < message.length; ) {
    const tag = message[index++] as number;
    let value = 0;
    for (let shift = 0; index < message.length; shift += 7) {
      const byte = message[index++] as number;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    if (tag === 0x08) return value;
    if ((tag & 7) === 2) index += value;
    else if ((tag & 7) !== 0) return -1;
  }
  return 0;
}

const serving = 1;

/**
 * The gRPC health checking protocol: grpc.health.v1.Health/Check over HTTP/2 (mTLS as the cluster connects, h2 by
 * ALPN); passes with grpc-status 0 and SERVING. :authority is the check's, or the cluster's name as Envoy's.
 */
function probeGrpc(check: NonNullable<HealthCheck["grpc_health_check"]>, timeoutMs: number, connect: Connect, clusterName: string): Probe {
  const request = healthCheckRequestFrame(check.service_name ?? "");
  const authority = check.authority || clusterName;
  return (endpoint) => {
    const socket = connect(endpoint.host, endpoint.port);
    return new Promise((resolve) => {
      const session = http2.connect(`http://${endpoint.host}:${endpoint.port}`, { createConnection: () => socket });
      const done = settleOnce(timeoutMs, () => session.destroy(), resolve);
      session.on("error", () => done(false));
      const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", ":authority": authority, "content-type": "application/grpc", te: "trailers" });
      let grpcStatus: unknown;
      const chunks: Buffer[] = [];
      stream.on("response", (headers) => {
        if (headers[":status"] !== 200) done(false);
        grpcStatus = headers["grpc-status"];
      });
      stream.on("trailers", (trailers) => (grpcStatus = trailers["grpc-status"]));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => done(grpcStatus === "0" && servingStatus(Buffer.concat(chunks)) === serving));
      stream.on("error", () => done(false));
      stream.on("close", () => done(false));
      stream.end(request);
    });
  };
}

export function compileProbe(check: HealthCheck, timeoutMs: number, connect: Connect, clusterName: string): { type: CheckerType; probe: Probe } {
  if (check.grpc_health_check) return { type: "GRPC", probe: probeGrpc(check.grpc_health_check, timeoutMs, connect, clusterName) };
  if (check.http_health_check) return { type: "HTTP", probe: probeHttp(check.http_health_check, timeoutMs, connect) };
  return { type: "TCP", probe: probeTcp(check.tcp_health_check ?? {}, timeoutMs, connect, clusterName) };
}
