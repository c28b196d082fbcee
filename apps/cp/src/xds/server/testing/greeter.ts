// A gRPC service for real-peer tests: backends that answer their own name (a "slow" request after a second), and a
// client whose calls are batched until the configuration that reaches it asynchronously shows in the replies.
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";

const greeterService = {
  hello: {
    path: "/zonemesh.test.Greeter/Hello",
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer) => value,
    requestDeserialize: (value: Buffer) => value,
    responseSerialize: (value: Buffer) => value,
    responseDeserialize: (value: Buffer) => value,
  },
};

export interface Greeter {
  port: number;
  server: grpc.Server;
}

export async function startGreeter(name: string): Promise<Greeter> {
  const server = new grpc.Server();
  server.addService(greeterService, {
    hello: (request: grpc.ServerUnaryCall<Buffer, Buffer>, respond: grpc.sendUnaryData<Buffer>) => {
      setTimeout(() => respond(null, Buffer.from(name)), request.request.toString() === "slow" ? 1000 : 0);
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { port, server };
}

type GreeterStub = grpc.Client & { hello(request: Buffer, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, reply?: Buffer) => void): void };

export interface HelloResult {
  reply?: string;
  code?: number;
  ms: number;
}

export class GreeterClient {
  readonly #stub: GreeterStub;

  constructor(target: string) {
    this.#stub = new (grpc.makeGenericClientConstructor(greeterService, "Greeter"))(target, grpc.credentials.createInsecure()) as unknown as GreeterStub;
  }

  hello(request = "hi"): Promise<HelloResult> {
    const started = Date.now();
    return new Promise((resolve) =>
      this.#stub.hello(Buffer.from(request), { deadline: Date.now() + 5000 }, (error, reply) =>
        resolve(error ? { code: error.code, ms: Date.now() - started } : { reply: reply?.toString(), ms: Date.now() - started }),
      ),
    );
  }

  /** Calls in batches until one batch satisfies `expected`. */
  async settlesOn(expected: (replies: (string | undefined)[]) => boolean, what: string): Promise<void> {
    let last: (string | undefined)[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      last = (await Promise.all(Array.from({ length: 20 }, () => this.hello()))).map((result) => result.reply);
      if (expected(last)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`calls never settled on ${what}; last batch: ${last.join(", ")}`);
  }

  close(): void {
    this.#stub.close();
  }
}

/** A MeshHTTPRoute spec sending every Greeter call to version v1 or v2 of `greeter` by weight. */
export const greeterSplitSpec = (weightV1: number, weightV2: number) => ({
  targetRef: { kind: "Mesh" },
  to: [
    {
      targetRef: { kind: "MeshService", name: "greeter" },
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/zonemesh.test.Greeter/" } }],
          default: {
            backendRefs: [
              { kind: "MeshServiceSubset", name: "greeter", tags: { version: "v1" }, weight: weightV1 },
              { kind: "MeshServiceSubset", name: "greeter", tags: { version: "v2" }, weight: weightV2 },
            ],
          },
        },
      ],
    },
  ],
});

/** A MeshTimeout spec ending calls to `greeter` after 300 ms (a "slow" request takes a second). */
export const greeterTimeoutSpec = {
  targetRef: { kind: "Mesh" },
  to: [{ targetRef: { kind: "MeshService", name: "greeter" }, default: { http: { requestTimeout: "300ms" } } }],
};
