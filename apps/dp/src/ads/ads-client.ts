import * as grpc from "@grpc/grpc-js";
import { createAdsClient, typeUrls, unpackAny, type DiscoveryRequest, type DiscoveryResponse, type WireNode } from "@zonemesh/xds";

export interface AdsTarget {
  /** Applies one type's resources; throwing NACKs them (the previous ones stay in force). */
  apply(typeUrl: string, resources: object[]): Promise<void>;
  /** The RDS, EDS and SDS names to subscribe to, from what has been applied so far. */
  referencedNames(): { routes: string[]; endpoints: string[]; secrets: string[] };
}

export interface AdsConnectionOptions {
  address: string;
  node: WireNode;
  /** Sent as `authorization: Bearer <token>` on every stream. */
  token?: string;
  target: AdsTarget;
  backoff?: { initialMs: number; maxMs: number };
  onEvent?: (event: AdsEvent) => void;
}

export type AdsEvent =
  | { kind: "connected" }
  | { kind: "disconnected"; reason: string; retryInMs: number }
  | { kind: "ack"; typeUrl: string; version: string }
  | { kind: "nack"; typeUrl: string; version: string; error: string };

interface TypeState {
  names: string[];
  ackedVersion: string;
  nonce: string;
}

const wildcardTypes = [typeUrls.listener, typeUrls.cluster];
const namedTypes = [
  [typeUrls.route, "routes"],
  [typeUrls.endpoint, "endpoints"],
  [typeUrls.secret, "secrets"],
] as const;
const invalidArgument = 3;

/**
 * A State-of-the-World ADS client as Envoy runs it: LDS and CDS as wildcards, then RDS, EDS and SDS for the names
 * the accepted resources refer to; every response ACKed or NACKed; the stream reopened with exponential back-off
 * while the last good configuration keeps serving.
 */
export class AdsConnection {
  readonly #options: AdsConnectionOptions;
  readonly #client: ReturnType<typeof createAdsClient>;
  readonly #types = new Map<string, TypeState>();
  #stream: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #retryMs: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #connected = false;

  constructor(options: AdsConnectionOptions) {
    this.#options = options;
    this.#client = createAdsClient(options.address);
    this.#retryMs = options.backoff?.initialMs ?? 250;
  }

  get connected(): boolean {
    return this.#connected;
  }

  start(): void {
    this.#open();
  }

  #open(): void {
    const metadata = new grpc.Metadata();
    if (this.#options.token) metadata.set("authorization", `Bearer ${this.#options.token}`);
    const stream = this.#client.StreamAggregatedResources(metadata);
    this.#stream = stream;
    let first = true;
    stream.on("data", (response: DiscoveryResponse) => {
      if (first) {
        first = false;
        this.#connected = true;
        this.#retryMs = this.#options.backoff?.initialMs ?? 250;
        this.#options.onEvent?.({ kind: "connected" });
      }
      this.#queue = this.#queue.then(() => this.#handle(stream, response));
    });
    stream.on("error", () => {});
    stream.on("status", (status: grpc.StatusObject) => this.#closed(stream, `${grpc.status[status.code]}: ${status.details}`));
    // A new stream starts from scratch on the server: every type is requested again, with the versions we hold.
    const sent = new Set<string>();
    for (const typeUrl of wildcardTypes) {
      this.#send(stream, typeUrl, { ...(this.#types.get(typeUrl) ?? { names: [], ackedVersion: "" }), nonce: "" });
      sent.add(typeUrl);
    }
    for (const [typeUrl, state] of this.#types) if (!sent.has(typeUrl) && state.names.length > 0) this.#send(stream, typeUrl, { ...state, nonce: "" });
  }

  #send(stream: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>, typeUrl: string, state: TypeState, error?: string): void {
    const request: DiscoveryRequest = {
      type_url: typeUrl,
      version_info: state.ackedVersion,
      resource_names: state.names,
      response_nonce: state.nonce,
      ...(error !== undefined ? { error_detail: { code: invalidArgument, message: error } } : {}),
      node: this.#options.node,
    };
    stream.write(request);
  }

  async #handle(stream: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>, response: DiscoveryResponse): Promise<void> {
    if (stream !== this.#stream) return;
    const typeUrl = response.type_url;
    const state = this.#types.get(typeUrl) ?? { names: [], ackedVersion: "", nonce: "" };
    state.nonce = response.nonce;
    this.#types.set(typeUrl, state);
    try {
      // proto-loader leaves an empty repeated field undefined.
      const resources = (response.resources ?? []).map((any) => unpackAny<object>(any));
      await this.#options.target.apply(typeUrl, resources);
    } catch (error) {
      const message = (error as Error).message;
      this.#send(stream, typeUrl, state, message);
      this.#options.onEvent?.({ kind: "nack", typeUrl, version: response.version_info, error: message });
      return;
    }
    state.ackedVersion = response.version_info;
    this.#send(stream, typeUrl, state);
    this.#options.onEvent?.({ kind: "ack", typeUrl, version: response.version_info });
    this.#subscribeReferenced(stream);
  }

  #subscribeReferenced(stream: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>): void {
    const names = this.#options.target.referencedNames();
    for (const [typeUrl, key] of namedTypes) {
      const wanted = names[key];
      const state = this.#types.get(typeUrl) ?? { names: [], ackedVersion: "", nonce: "" };
      // An empty list would be a wildcard subscription in SotW: keep the old names until some are wanted again.
      if (wanted.length === 0 || wanted.join("\n") === state.names.join("\n")) continue;
      state.names = wanted;
      this.#types.set(typeUrl, state);
      this.#send(stream, typeUrl, state);
    }
  }

  #closed(stream: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>, reason: string): void {
    if (stream !== this.#stream || this.#stopped) return;
    this.#stream = undefined;
    this.#connected = false;
    const retryInMs = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, this.#options.backoff?.maxMs ?? 10_000);
    this.#options.onEvent?.({ kind: "disconnected", reason, retryInMs });
    this.#timer = setTimeout(() => this.#open(), retryInMs);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#stream?.cancel();
    this.#client.close();
  }
}
