import * as grpc from "@grpc/grpc-js";
import { createAdsClient } from "../protos/ads-definition";
import type { WireNode } from "../protos/discovery-messages";

/** A hand-driven ADS stream for tests: send requests, await responses one by one, await the final status. */
export class TestStream<Request, Response> {
  readonly #responses: Response[] = [];
  #waiting: (() => void) | undefined;
  readonly status: Promise<grpc.StatusObject>;

  constructor(readonly call: grpc.ClientDuplexStream<Request, Response>) {
    call.on("data", (response: Response) => {
      this.#responses.push(response);
      this.#waiting?.();
    });
    this.status = new Promise((resolve) => call.on("status", resolve));
    call.on("error", () => {});
  }

  /** Resolves once the request is handed to the transport (grpc-js drops a cancel that overtakes a write in flight). */
  send(request: Request): Promise<void> {
    return new Promise((resolve) => this.call.write(request, () => resolve()));
  }

  async next(timeoutMs = 2000): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    while (this.#responses.length === 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.#responses.shift()!;
  }

  /** Fails if a response arrives within the window. */
  async expectSilence(windowMs = 150): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if (this.#responses.length > 0) throw new Error(`unexpected response: ${JSON.stringify(this.#responses[0])}`);
  }

  cancel(): void {
    this.call.cancel();
  }
}

export function connectAds(port: number) {
  const client = createAdsClient(`127.0.0.1:${port}`);
  return {
    sotw: (metadata = new grpc.Metadata()) => new TestStream(client.StreamAggregatedResources(metadata)),
    delta: (metadata = new grpc.Metadata()) => new TestStream(client.DeltaAggregatedResources(metadata)),
    close: () => client.close(),
  };
}

export function testNode(id: string, metadata: Record<string, string> = {}): WireNode {
  return { id, metadata: { fields: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, { stringValue: v }])) } };
}
