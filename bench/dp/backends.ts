// The workloads behind the proxies: an HTTP server answering a small fixed body, a TCP echo server and a gRPC echo service.
import http from "node:http";
import net from "node:net";
import { grpcEchoBackend } from "../../apps/dp/src/testing/grpc-echo";

export interface BenchBackends {
  httpPort: number;
  echoPort: number;
  grpcPort: number;
  /** TCP connections the HTTP server accepted (keep-alive reuse shows as a small number). */
  httpConnections(): number;
  close(): Promise<void>;
}

const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));

export async function startBackends(): Promise<BenchBackends> {
  const body = Buffer.from("hello from backend\n");
  const httpServer = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
    response.end(body);
  });
  httpServer.keepAliveTimeout = 60_000;
  let httpConnections = 0;
  httpServer.on("connection", (socket: net.Socket) => {
    httpConnections++;
    socket.setNoDelay(true);
  });
  const sockets = new Set<net.Socket>();
  const echoServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  const [httpPort, echoPort] = [await listen(httpServer), await listen(echoServer)];
  const grpc = await grpcEchoBackend();
  return {
    httpPort,
    echoPort,
    grpcPort: grpc.port,
    httpConnections: () => httpConnections,
    close: async () => {
      grpc.close();
      httpServer.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise((resolve) => httpServer.close(resolve)), new Promise((resolve) => echoServer.close(resolve))]);
    },
  };
}
