import http from "node:http";
import type net from "node:net";

export interface AdminSource {
  ready(): boolean;
  configDump(): object;
  prometheus(): string;
}

export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

/** The admin endpoint, on loopback only: /ready, /config_dump, /stats/prometheus. */
export async function startAdminServer(port: number, source: AdminSource): Promise<AdminServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET") return response.writeHead(405).end();
    if (path === "/ready") {
      const ready = source.ready();
      return response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "LIVE\n" : "PRE_INITIALIZING\n");
    }
    if (path === "/config_dump") return response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(source.configDump(), null, 2));
    if (path === "/stats/prometheus") return response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(source.prometheus());
    response.writeHead(404, { "content-type": "text/plain" }).end("endpoints: /ready /config_dump /stats/prometheus\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
