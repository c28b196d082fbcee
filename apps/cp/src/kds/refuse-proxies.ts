// A global CP serves no data plane proxies. On the port where a zone CP would serve xDS, the global answers
// every ADS stream (SotW and Delta) with UNIMPLEMENTED and a message saying where proxies belong.
import { Server, ServerCredentials, status, type ServerDuplexStream, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { adsServiceDefinition } from "@zonemesh/xds";
import type { CpComponent } from "../control-plane";

export const GLOBAL_REFUSES_PROXIES =
  "this is a global control plane: it serves no data plane proxies; connect data plane proxies to a zone control plane";

export interface ProxyRefuser extends CpComponent {
  port: number;
}

export async function refuseProxies(listenAddress: string): Promise<ProxyRefuser> {
  const server = new Server();
  const refuse = (call: ServerDuplexStream<unknown, unknown>) => call.emit("error", { code: status.UNIMPLEMENTED, details: GLOBAL_REFUSES_PROXIES });
  const handlers: UntypedServiceImplementation = Object.fromEntries(Object.keys(adsServiceDefinition).map((method) => [method, refuse]));
  server.addService(adsServiceDefinition, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listenAddress, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    close: async () => {
      server.forceShutdown();
    },
  };
}
