// An ADS client that behaves like Envoy on a SotW stream, for tests and the bench: it subscribes to every cluster and
// listener, then to the endpoints and routes they name, ACKs what it accepts, NACKs what `reject` refuses, and keeps
// the resources it last accepted.
import * as grpc from "@grpc/grpc-js";
import { createAdsClient, jsonToStruct, typeUrls, unpackAny, type AdsClient, type DiscoveryRequest, type DiscoveryResponse, type JsonValue, type TypeUrl } from "@zonemesh/xds";

export interface EnvoyLikeProxyOptions {
  /** An ADS client to share between many proxies (the bench); default a client of its own on `address`. */
  client?: AdsClient;
  address?: string;
  nodeId: string;
  token?: string;
  /** Where the token goes: gRPC metadata (`authorization: Bearer`, as kuma-dp) or node metadata `dataplane.token`. */
  tokenIn?: "metadata" | "node";
  /** Node metadata besides the token, e.g. kuma-dp's `version`. */
  nodeMetadata?: Record<string, JsonValue>;
  /** Returns an error message to NACK a response. */
  reject?: (typeUrl: TypeUrl, resources: Record<string, unknown>[]) => string | undefined;
  /** Called after each accepted (ACKed) response, with its type. */
  onAccepted?: (typeUrl: TypeUrl) => void;
}

interface TypeState {
  names: string[];
  nonce?: string;
  version?: string;
  resources: Map<string, Record<string, unknown>>;
}

const nameOf = (resource: Record<string, unknown>) => String(resource.cluster_name ?? resource.name);

/** Every value of `key` anywhere inside `value` (route names sit deep inside listeners' filter configs). */
function collect(value: unknown, key: string, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) collect(item, key, into);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === "string") into.add(v);
      else collect(v, key, into);
    }
  }
  return into;
}

export class EnvoyLikeProxy {
  readonly status: Promise<grpc.StatusObject>;
  readonly #call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  readonly #ownClient: AdsClient | undefined;
  readonly #types = new Map<TypeUrl, TypeState>();
  readonly #waiters = new Set<() => void>();
  readonly #reject: EnvoyLikeProxyOptions["reject"];
  readonly #onAccepted: EnvoyLikeProxyOptions["onAccepted"];
  #lastWrite: Promise<void> = Promise.resolve();
  /** Responses received, NACKed ones included. */
  responses = 0;

  constructor(options: EnvoyLikeProxyOptions) {
    this.#ownClient = options.client ? undefined : createAdsClient(options.address!);
    const client = options.client ?? this.#ownClient!;
    this.#reject = options.reject;
    this.#onAccepted = options.onAccepted;
    const metadata = new grpc.Metadata();
    if (options.token && options.tokenIn !== "node") metadata.set("authorization", `Bearer ${options.token}`);
    this.#call = client.StreamAggregatedResources(metadata);
    this.status = new Promise((resolve) => this.#call.on("status", resolve));
    this.#call.on("error", () => {});
    this.#call.on("data", (response: DiscoveryResponse) => this.#received(response));
    const node = {
      id: options.nodeId,
      user_agent_name: "envoy",
      metadata: jsonToStruct({ ...options.nodeMetadata, ...(options.token && options.tokenIn === "node" ? { "dataplane.token": options.token } : {}) }),
    };
    this.#send({ node, type_url: typeUrls.cluster, resource_names: [] });
    this.#send({ type_url: typeUrls.listener, resource_names: [] });
    this.#send({ type_url: typeUrls.secret, resource_names: ["*"] });
  }

  /** The accepted resources of a type, by name. */
  resources(typeUrl: TypeUrl): Map<string, Record<string, unknown>> {
    return this.#types.get(typeUrl)?.resources ?? new Map();
  }

  acceptedVersion(typeUrl: TypeUrl): string | undefined {
    return this.#types.get(typeUrl)?.version;
  }

  /** Resolves once `check` holds after some response (or already holds). */
  async until<T>(check: () => T, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value as NonNullable<T>;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(remaining, 100));
        this.#waiters.add(wake);
      });
    }
  }

  /** Cancels the stream once its writes reached the transport: grpc-js drops a cancel that overtakes a write in flight, leaving the stream open on the server. */
  async close(): Promise<void> {
    await this.#lastWrite;
    this.#call.cancel();
    this.#ownClient?.close();
  }

  #send(request: DiscoveryRequest): void {
    this.#lastWrite = new Promise((resolve) => this.#call.write(request, () => resolve()));
  }

  #received(response: DiscoveryResponse): void {
    this.responses++;
    const typeUrl = response.type_url as TypeUrl;
    const state: TypeState = this.#types.get(typeUrl) ?? { names: [], resources: new Map() };
    this.#types.set(typeUrl, state);
    state.nonce = response.nonce;
    const resources = (response.resources ?? []).map((any) => unpackAny(any));
    const error = this.#reject?.(typeUrl, resources);
    if (error) {
      this.#request(typeUrl, state, { code: grpc.status.INVALID_ARGUMENT, message: error });
    } else {
      state.version = response.version_info;
      state.resources = new Map(resources.map((resource) => [nameOf(resource), resource]));
      this.#request(typeUrl, state);
      if (typeUrl === typeUrls.cluster) this.#follow(typeUrls.endpoint, [...state.resources.values()].filter((c) => c.type === "EDS").map(nameOf));
      if (typeUrl === typeUrls.listener) this.#follow(typeUrls.route, [...collect([...state.resources.values()], "route_config_name")]);
      this.#onAccepted?.(typeUrl);
    }
    for (const wake of [...this.#waiters]) wake();
  }

  #follow(typeUrl: TypeUrl, names: string[]): void {
    const state: TypeState = this.#types.get(typeUrl) ?? { names: [], resources: new Map() };
    const sorted = [...names].sort();
    if (this.#types.has(typeUrl) && sorted.join("\n") === state.names.join("\n")) return;
    state.names = sorted;
    this.#types.set(typeUrl, state);
    this.#request(typeUrl, state);
  }

  #request(typeUrl: TypeUrl, state: TypeState, error?: { code: number; message: string }): void {
    this.#send({
      type_url: typeUrl,
      resource_names: typeUrl === typeUrls.secret ? ["*"] : state.names,
      ...(state.version ? { version_info: state.version } : {}),
      ...(state.nonce ? { response_nonce: state.nonce } : {}),
      ...(error ? { error_detail: error } : {}),
    });
  }
}
