import * as grpc from "@grpc/grpc-js";

const bytes = { serialize: (value: Buffer) => value, deserialize: (value: Buffer) => value };
const method = (path: string, responseStream: boolean) => ({ path, requestStream: false, responseStream, requestSerialize: bytes.serialize, requestDeserialize: bytes.deserialize, responseSerialize: bytes.serialize, responseDeserialize: bytes.deserialize });
/** A gRPC service without a .proto: messages are raw bytes. */
const echoService = { unary: method("/test.Echo/Unary", false), countdown: method("/test.Echo/Countdown", true) } satisfies grpc.ServiceDefinition;

type EchoClient = grpc.Client & {
  unary(request: Buffer, metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null, response?: Buffer) => void): grpc.ClientUnaryCall;
  countdown(request: Buffer): grpc.ClientReadableStream<Buffer>;
};

export interface GrpcEchoBackend {
  port: number;
  flakyCalls: string[];
  close(): void;
}

/**
 * A gRPC server (h2c) with two methods. Unary answers "echo <text> from <x-caller metadata> by <x-forwarded-client-cert
 * or none>", or NOT_FOUND "no such thing" for "missing", or UNAVAILABLE the first time it sees a text starting with
 * "flaky" (those calls are listed in `flakyCalls`). Countdown streams "3", "2", "1" for "3" and ends with OK;
 * for "2!" it streams "2", "1" and ends with ABORTED "stopped at zero".
 */
export async function grpcEchoBackend(): Promise<GrpcEchoBackend> {
  const server = new grpc.Server();
  const flakyCalls: string[] = [];
  server.addService(echoService, {
    unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const text = call.request.toString();
      if (text === "missing") return callback({ code: grpc.status.NOT_FOUND, details: "no such thing" });
      if (text.startsWith("flaky")) {
        const firstTime = !flakyCalls.includes(text);
        flakyCalls.push(text);
        if (firstTime) return callback({ code: grpc.status.UNAVAILABLE, details: "try again" });
      }
      const caller = call.metadata.get("x-caller")[0];
      const certificate = call.metadata.get("x-forwarded-client-cert")[0] ?? "none";
      callback(null, Buffer.from(`echo ${call.request.toString()} from ${caller} by ${certificate}`));
    },
    countdown: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const request = call.request.toString();
      for (let count = Number.parseInt(request); count > 0; count--) call.write(Buffer.from(String(count)));
      if (request.endsWith("!")) call.emit("error", { code: grpc.status.ABORTED, details: "stopped at zero" });
      else call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { port, flakyCalls, close: () => server.forceShutdown() };
}

/** A client of the echo service, dialing host:port in h2c (as an app calls its outbound listener). */
export class GrpcEchoClient {
  readonly #client: EchoClient;

  constructor(address: string) {
    const Client = grpc.makeGenericClientConstructor(echoService, "Echo");
    this.#client = new Client(address, grpc.credentials.createInsecure()) as unknown as EchoClient;
  }

  unary(text: string, caller: string): Promise<string> {
    const metadata = new grpc.Metadata();
    metadata.set("x-caller", caller);
    return new Promise((resolve, reject) => this.#client.unary(Buffer.from(text), metadata, (error, response) => (error ? reject(error) : resolve(String(response)))));
  }

  countdown(request: string): Promise<{ messages: string[]; code: grpc.status; details: string }> {
    return new Promise((resolve) => {
      const messages: string[] = [];
      const call = this.#client.countdown(Buffer.from(request));
      call.on("data", (message: Buffer) => messages.push(message.toString()));
      call.on("status", ({ code, details }: grpc.StatusObject) => resolve({ messages, code, details }));
      call.on("error", () => {});
    });
  }

  close(): void {
    this.#client.close();
  }
}
