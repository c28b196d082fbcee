// The demo's workloads, in the demo's own process: each an HTTP server on 127.0.0.1 answering who it is.
import http from "node:http";

export interface Workload {
  close(): Promise<void>;
}

export async function startWorkload(port: number, answer: string): Promise<Workload> {
  const server = http.createServer((_request, response) => response.end(`${answer}\n`));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new Error(`workload "${answer}" cannot listen on 127.0.0.1:${port}: ${error.message}`)));
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
