// Child process: a real @grpc/grpc-js-xds client (it keeps global state, hence its own process).
// GRPC_XDS_BOOTSTRAP_CONFIG comes from the parent; each IPC message {target, calls} is answered
// with the backend name (or error) of every call made to xds:///<target>.
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import { EchoClient } from "./echo-service";

createRequire(import.meta.url)("@grpc/grpc-js-xds").register();

interface Echo extends grpc.Client {
  Whoami(request: object, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, reply: { backend: string }) => void): void;
}

const clients = new Map<string, Echo>();

function whoami(target: string): Promise<string> {
  let client = clients.get(target);
  if (!client) clients.set(target, (client = new EchoClient(`xds:///${target}`, grpc.credentials.createInsecure()) as unknown as Echo));
  return new Promise((resolve) =>
    client.Whoami({}, { deadline: Date.now() + 2000 }, (error, reply) =>
      resolve(error ? `error: ${error.details}` : reply.backend),
    ),
  );
}

process.on("message", async ({ target, calls }: { target: string; calls: number }) => {
  const results: string[] = [];
  for (let i = 0; i < calls; i++) results.push(await whoami(target));
  process.send!(results);
});
process.on("disconnect", () => process.exit(0));
