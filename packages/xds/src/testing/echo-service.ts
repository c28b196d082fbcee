import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const definition = protoLoader.loadSync(fileURLToPath(new URL("echo.proto", import.meta.url)));

export const EchoClient = (grpc.loadPackageDefinition(definition) as unknown as { zonemesh: { test: { Echo: grpc.ServiceClientConstructor } } }).zonemesh.test.Echo;

/** A real gRPC backend on a free port that answers Whoami with its name. */
export async function startEchoBackend(name: string): Promise<{ port: number; close: () => void }> {
  const server = new grpc.Server();
  server.addService(EchoClient.service, {
    Whoami: (_call: unknown, callback: grpc.sendUnaryData<{ backend: string }>) => callback(null, { backend: name }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, close: () => server.forceShutdown() };
}
