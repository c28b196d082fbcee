import http from "node:http";
import net from "node:net";

export interface TestBackend {
  port: number;
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

/** An HTTP server answering `name` (or what `handler` decides), remembering the requests it got. */
export async function httpBackend(name: string, handler?: (request: http.IncomingMessage, response: http.ServerResponse) => void): Promise<TestBackend> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request);
    if (handler) return handler(request, response);
    response.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that answers every chunk with `<name>:<chunk>`. */
export async function tcpEchoBackend(name: string): Promise<TestBackend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (chunk) => socket.write(`${name}:${chunk.toString()}`));
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests: [],
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A GET on a fresh connection. A response cut off after its head, or no answer within `timeoutMs`, rejects (with the
 * status seen) rather than leaving the caller waiting forever.
 */
export function get(port: number, path = "/", headers: Record<string, string> = {}, host = "127.0.0.1", timeoutMs = 30_000): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path, headers, agent: false, timeout: timeoutMs }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      response.on("close", () => {
        if (!response.complete) reject(new Error(`GET ${path}: the ${response.statusCode} response was cut off after ${body.length} bytes of body`));
      });
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

export function tcpExchange(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write(message));
    socket.once("data", (chunk) => {
      resolve(chunk.toString());
      socket.destroy();
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error("connection closed without an answer")));
  });
}

/** A TCP server collecting the newline-ended lines it is sent (a log collector), on whichever connection. */
export async function tcpLineCollector(port = 0): Promise<{ port: number; lines: string[]; close(): void }> {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    let buffered = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        lines.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, lines, close: () => server.close() };
}
