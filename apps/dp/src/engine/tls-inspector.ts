import type net from "node:net";
import { inspectClientHello, maxClientHelloBytes } from "./tls-client-hello";

/** What the listener filters found out about a connection: what filter_chain_match compares. */
export interface ConnectionProperties {
  serverName: string | undefined;
  /** "tls" when a ClientHello was seen, else Envoy's default "raw_buffer". */
  transportProtocol: "tls" | "raw_buffer";
  applicationProtocols: readonly string[];
}

export const rawConnection: ConnectionProperties = { serverName: undefined, transportProtocol: "raw_buffer", applicationProtocols: [] };

export type InspectionOutcome =
  | { kind: "inspected"; properties: ConnectionProperties }
  | { kind: "timeout" }
  | { kind: "client-hello-too-large" }
  | { kind: "closed" };

// Record headers of a ClientHello split over several TLS records come on top of the handshake bytes.
const maxBufferedBytes = maxClientHelloBytes + 1024;

/**
 * Envoy's tls_inspector: reads the first bytes of `socket` until they are a complete ClientHello or cannot be one,
 * then puts them back (nothing is consumed: the chosen filter chain sees the connection from its first byte) and
 * reports. The socket is left paused for the filter chain to take over. `timeoutMs` 0 waits forever.
 */
export function inspectTls(socket: net.Socket, timeoutMs: number, report: (outcome: InspectionOutcome) => void): void {
  const chunks: Buffer[] = [];
  let buffered = 0;
  const finish = (outcome: InspectionOutcome) => {
    clearTimeout(timer);
    socket.pause();
    socket.off("data", onData);
    socket.off("end", onClosed);
    socket.off("close", onClosed);
    if (buffered > 0 && outcome.kind !== "closed") socket.unshift(Buffer.concat(chunks, buffered));
    report(outcome);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    const hello = inspectClientHello(chunks.length === 1 ? chunk : Buffer.concat(chunks, buffered));
    if (hello.kind === "tls") finish({ kind: "inspected", properties: { serverName: hello.serverName, transportProtocol: "tls", applicationProtocols: hello.applicationProtocols } });
    else if (hello.kind === "not-tls") finish({ kind: "inspected", properties: rawConnection });
    else if (hello.kind === "too-large" || buffered > maxBufferedBytes) finish({ kind: "client-hello-too-large" });
  };
  const onClosed = () => finish({ kind: "closed" });
  const timer = timeoutMs > 0 ? setTimeout(() => finish({ kind: "timeout" }), timeoutMs) : undefined;
  socket.on("data", onData);
  socket.once("end", onClosed);
  socket.once("close", onClosed);
}
