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

/** A probe with the connections it keeps for reuse: `drop` closes an endpoint's (it is gone), `close` all of them. */
export type KeepingProbe = Probe & { drop(endpointKey: string): void; close(): void };

/** The kind of check, as Envoy names it in health check events. */
export type CheckerType = "HTTP" | "TCP" | "GRPC";

/**
 * With reuse, one keep-alive connection per endpoint: checks go over it while it lasts. Its first connection is
 * opened before the request, so that a missing secret puts the check off (`connect` throws) as without reuse.
 */
function probeHttp(check: NonNullable<HealthCheck["http_health_check"]>, timeoutMs: number, connect: Connect, reuse: boolean): KeepingProbe {
  const expected = check.expected_statuses?.length ? check.expected_statuses : [{ start: 200, end: 201 }];
  const agents = new Map<string, { agent: http.Agent; next?: net.Socket }>();
  const agentFor = (endpoint: UpstreamEndpoint) => {
    let entry = agents.get(endpoint.key);
    if (!entry) {
      const created: { agent: http.Agent; next?: net.Socket } = { agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
      created.agent.createConnection = () => {
        const socket = created.next ?? connect(endpoint.host, endpoint.port);
        created.next = undefined;
        return socket;
      };
      agents.set(endpoint.key, (entry = created));
    }
    const idle = Object.keys(entry.agent.freeSockets).length === 0 && Object.keys(entry.agent.sockets).length === 0;
    if (idle) entry.next = connect(endpoint.host, endpoint.port);
    return entry.agent;
  };
  const probe = (endpoint: UpstreamEndpoint) => {
    const agent = reuse ? agentFor(endpoint) : undefined;
    const socket = agent ? undefined : connect(endpoint.host, endpoint.port);
    return new Promise<boolean>((resolve) => {
      const headers: HeaderMap = { host: check.host ?? endpoint.host, "user-agent": "zonemesh-dp-health-check" };
      applyHeaderChanges(headers, check.request_headers_to_add, undefined);
      // Without reuse, no agent, so that the request goes over `socket` (an agent, even `agent: false`, opens its own).
      const target = agent ? { agent } : { createConnection: () => socket as net.Socket };
      const request = http.get({ host: endpoint.host, port: endpoint.port, path: check.path, headers, timeout: timeoutMs, ...target }, (response) => {
        response.resume().once("end", () => socket?.destroy());
        const status = response.statusCode ?? 0;
        resolve(expected.some((range) => status >= range.start && status < range.end));
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(false));
    });
  };
  return Object.assign(probe, {
    drop: (key: string) => {
      agents.get(key)?.agent.destroy();
      agents.delete(key);
    },
    close: () => agents.forEach(({ agent }) => agent.destroy()),
  });
}

/** A check's end, once: the first verdict, or a failure after `timeoutMs`; `release` lets its connection go (or keeps it). */
function settleOnce(timeoutMs: number, release: (passed: boolean) => void, resolve: (passed: boolean) => void): (passed: boolean) => void {
  let settled = false;
  const done = (passed: boolean) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    release(passed);
    resolve(passed);
  };
  const timer = setTimeout(() => done(false), timeoutMs);
  return done;
}

/** With reuse, an endpoint's connection kept from one check to the next until a check fails or it closes. */
class KeptConnections<T extends { destroyed: boolean; destroy(): void }> {
  readonly #kept = new Map<string, T>();
  constructor(private readonly reuse: boolean) {}

  /** The kept connection, or a new one from `open` (kept with reuse); `fresh` when new. */
  get(endpoint: UpstreamEndpoint, open: () => T): { connection: T; fresh: boolean } {
    const kept = this.reuse ? this.#kept.get(endpoint.key) : undefined;
    if (kept && !kept.destroyed) return { connection: kept, fresh: false };
    const connection = open();
    if (this.reuse) this.#kept.set(endpoint.key, connection);
    return { connection, fresh: true };
  }

  /** After a check: kept if it passed (with reuse), else closed. */
  release(endpoint: UpstreamEndpoint, connection: T, passed: boolean): void {
    if (this.reuse && passed) return;
    connection.destroy();
    if (this.#kept.get(endpoint.key) === connection) this.#kept.delete(endpoint.key);
  }

  /** Closes the connection kept for an endpoint that is gone. */
  drop(key: string): void {
    this.#kept.get(key)?.destroy();
    this.#kept.delete(key);
  }

  close(): void {
    for (const connection of this.#kept.values()) connection.destroy();
    this.#kept.clear();
  }
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
function probeTcp(check: NonNullable<HealthCheck["tcp_health_check"]>, timeoutMs: number, connect: Connect, clusterName: string, reuse: boolean): KeepingProbe {
  const path = `cluster ${clusterName}: health_checks[0].tcp_health_check`;
  const send = check.send ? payloadBytes(check.send, `${path}.send`) : undefined;
  const receive = (check.receive ?? []).map((payload, index) => payloadBytes(payload, `${path}.receive[${index}]`));
  const connections = new KeptConnections<net.Socket>(reuse);
  const probe = (endpoint: UpstreamEndpoint) => {
    const { connection: socket, fresh } = connections.get(endpoint, () => connect(endpoint.host, endpoint.port).on("error", () => {}));
    return new Promise<boolean>((resolve) => {
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (containsInOrder(received, receive)) done(true);
      };
      const onClose = () => done(false);
      const done = settleOnce(timeoutMs, (passed) => {
        socket.off("data", onData).off("close", onClose);
        connections.release(endpoint, socket, passed);
      }, resolve);
      const start = () => {
        if (send) socket.write(send);
        if (receive.length === 0) done(true);
      };
      socket.on("data", onData).once("close", onClose);
      // A TLS socket is up once its handshake (peer verified) is done, a plain one once connected.
      if (fresh) socket.once(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", start);
      else start();
    });
  };
  return Object.assign(probe, { drop: (key: string) => connections.drop(key), close: () => connections.close() });
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
function probeGrpc(check: NonNullable<HealthCheck["grpc_health_check"]>, timeoutMs: number, connect: Connect, clusterName: string, reuse: boolean): KeepingProbe {
  const request = healthCheckRequestFrame(check.service_name ?? "");
  const authority = check.authority || clusterName;
  const sessions = new KeptConnections<http2.ClientHttp2Session>(reuse);
  const probe = (endpoint: UpstreamEndpoint) => {
    const { connection: session } = sessions.get(endpoint, () => {
      const socket = connect(endpoint.host, endpoint.port);
      return http2.connect(`http://${endpoint.host}:${endpoint.port}`, { createConnection: () => socket }).on("error", () => {});
    });
    return new Promise<boolean>((resolve) => {
      const onError = () => done(false);
      const done = settleOnce(timeoutMs, (passed) => {
        session.off("error", onError);
        sessions.release(endpoint, session, passed);
      }, resolve);
      session.on("error", onError);
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
  return Object.assign(probe, { drop: (key: string) => sessions.drop(key), close: () => sessions.close() });
}

/** `reuse`: Envoy's reuse_connection (its default): an endpoint's connection serves its checks while they pass. */
export function compileProbe(check: HealthCheck, timeoutMs: number, connect: Connect, clusterName: string, reuse: boolean): { type: CheckerType; probe: KeepingProbe } {
  if (check.grpc_health_check) return { type: "GRPC", probe: probeGrpc(check.grpc_health_check, timeoutMs, connect, clusterName, reuse) };
  if (check.http_health_check) return { type: "HTTP", probe: probeHttp(check.http_health_check, timeoutMs, connect, reuse) };
  return { type: "TCP", probe: probeTcp(check.tcp_health_check ?? {}, timeoutMs, connect, clusterName, reuse) };
}
