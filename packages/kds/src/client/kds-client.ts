import {
  Client,
  credentials as grpcCredentials,
  status,
  type ChannelCredentials,
  type ChannelOptions,
  type ClientDuplexStream,
  type StatusObject,
} from "@grpc/grpc-js";
import { DeltaReceiver } from "../delta-receiver";
import { DeltaSender } from "../delta-sender";
import { MessageStream } from "../message-stream";
import type { KdsResource, ResourceDelta } from "../resource";
import { emptyByteCounters, StreamStatsRecorder, type ByteCounters, type KdsStreamKind, type StreamStats } from "../stats";
import { channelDefaults } from "../wire/channel-defaults";
import { globalRequestCodec, kdsSyncService, requestCodec, responseCodec, zoneReplyCodec } from "../wire/kds-service";
import type { GlobalRequest, ZoneReply } from "../wire/messages";
import { zoneMetadata, type ZoneIdentity } from "../zone-metadata";
import { Backoff, type BackoffOptions } from "./backoff";

export interface KdsClientOptions {
  /** The global CP's KDS address, e.g. "global.example:5685". */
  address: string;
  zone: string;
  instanceId: string;
  /** The zone CP's software version, reported to the global. */
  version?: string;
  /** The zone token; a function is called on every (re)connect, so a rotated token is picked up. */
  token: string | (() => string | Promise<string>);
  /** Default: insecure. */
  credentials?: ChannelCredentials;
  /** What the zone publishes to the global. */
  zoneToGlobal: {
    types: readonly string[];
    snapshotFor(type: string): Promise<KdsResource[]> | KdsResource[];
    /** Called once; `onChange(type)` sends the global the new delta of that type. Returns an unsubscribe. */
    subscribe(onChange: (type: string) => void): () => void;
  };
  /** What the zone takes from the global. */
  globalToZone: {
    types: readonly string[];
    /** What the zone holds from the global, reported on (re)connect so the global sends only the difference. */
    heldFromGlobal(type: string): Promise<KdsResource[]> | KdsResource[];
    /** Applies one response from the global; a throw NACKs it with the error's message. */
    onGlobalResources(type: string, delta: ResourceDelta): Promise<void> | void;
  };
  /**
   * Answers the global's requests, by kind: gets the request's JSON payload, returns the JSON answer; a throw
   * answers with its message as the error. Without it the requests stream is not opened.
   */
  globalRequests?: Record<string, (payload: unknown) => unknown>;
  reconnect?: BackoffOptions;
  /** Called when a stream ends, before the client redials, e.g. to log a refusal. */
  onStreamClosed?(kind: KdsStreamKind, end: KdsStreamEnd): void;
  grpcOptions?: ChannelOptions;
}

export interface KdsStreamEnd {
  code: status;
  details: string;
}

export interface KdsClientStreamStatus {
  /** True once the global has answered on the current stream. */
  established: boolean;
  lastError?: { code: status; details: string; at: Date };
  /** The current or last stream. */
  stats?: StreamStats;
}

export interface KdsClientStats extends ByteCounters {
  streams: Record<KdsStreamKind, KdsClientStreamStatus>;
}

export interface KdsClient {
  /** Opens both streams and keeps redialing them until `stop()`. */
  start(): void;
  stop(): void;
  /** Both sync streams are established (the requests stream is in `stats().streams.requests`). */
  connected(): boolean;
  stats(): KdsClientStats;
}

type RawClientCall = ClientDuplexStream<Buffer, Buffer>;

interface StreamSession {
  call: RawClientCall;
  recorder: StreamStatsRecorder;
  /** Ends the stream for a local reason, which is reported instead of the resulting CANCELLED. */
  fail(code: status, details: string): void;
  /** The global answered: the stream is accepted. */
  established(): void;
}

interface StreamSlot {
  backoff: Backoff;
  status: KdsClientStreamStatus;
  call?: RawClientCall;
  redial?: NodeJS.Timeout;
}

// The zone receives on globalToZone and sends on zoneToGlobal.
const clientRole = { globalToZone: "receiver", zoneToGlobal: "sender", requests: "responder" } as const;
const passthrough = (bytes: Buffer) => bytes;

export function createKdsClient(options: KdsClientOptions): KdsClient {
  const identity: ZoneIdentity = { zone: options.zone, instanceId: options.instanceId, version: options.version ?? "" };
  const slot = (): StreamSlot => ({ backoff: new Backoff(options.reconnect), status: { established: false } });
  const slots: Record<KdsStreamKind, StreamSlot> = { globalToZone: slot(), zoneToGlobal: slot(), requests: slot() };
  const totals = emptyByteCounters();
  const { initialDelayMs, maxDelayMs } = slots.globalToZone.backoff;
  let channel: Client | undefined;
  let sender: DeltaSender | undefined;
  let unsubscribe: (() => void) | undefined;

  const token = async () => (typeof options.token === "string" ? options.token : options.token());

  async function dial(kind: KdsStreamKind): Promise<void> {
    const current = slots[kind];
    current.redial = undefined;
    const dialedOn = channel;
    let metadata;
    try {
      metadata = zoneMetadata(identity, await token());
    } catch (error) {
      if (channel === dialedOn) {
        ended(kind, undefined, { code: status.UNAUTHENTICATED, details: `no zone token: ${(error as Error).message}` });
      }
      return;
    }
    // Stopped, or stopped and started again, while the token was fetched.
    if (!channel || channel !== dialedOn) return;
    const call = channel.makeBidiStreamRequest(kdsSyncService[kind].path, passthrough, passthrough, metadata);
    const recorder = new StreamStatsRecorder(kind, clientRole[kind], totals);
    current.call = call;
    current.status.established = false;
    current.status.stats = recorder.stats;
    let localFailure: KdsStreamEnd | undefined;
    const session: StreamSession = {
      call,
      recorder,
      fail: (code, details) => {
        localFailure ??= { code, details };
        call.cancel();
      },
      established: () => {
        if (current.call !== call || current.status.established) return;
        current.status.established = true;
        current.backoff.reset();
      },
    };
    const wire = { globalToZone: receiveFromGlobal, zoneToGlobal: sendToGlobal, requests: answerGlobal }[kind];
    const close = wire(session);
    call.on("error", () => {});
    call.on("status", (grpcStatus: StatusObject) => {
      close();
      const end = localFailure ?? { code: grpcStatus.code, details: grpcStatus.details };
      recorder.closed(end.details);
      ended(kind, call, end);
    });
  }

  /** Wires the globalToZone stream; returns what to run when it closes. */
  function receiveFromGlobal({ call, recorder, fail, established }: StreamSession): () => void {
    const stream = new MessageStream(call, { incoming: responseCodec, outgoing: requestCodec }, recorder);
    const receiver = new DeltaReceiver({
      types: options.globalToZone.types,
      held: (type) => options.globalToZone.heldFromGlobal(type),
      apply: (type, delta) => options.globalToZone.onGlobalResources(type, delta),
      send: (request) => stream.send(request),
      stats: recorder,
      node: identity,
    });
    stream.listen({
      onMessage: (response) => {
        established();
        return receiver.handleResponse(response);
      },
      onMalformed: (error) => fail(status.INTERNAL, `malformed DeltaDiscoveryResponse: ${error.message}`),
    });
    receiver.subscribe().catch((error: Error) => fail(status.INTERNAL, `could not read what the zone holds: ${error.message}`));
    return () => {
      stream.end();
      receiver.close();
    };
  }

  /** Wires the zoneToGlobal stream; returns what to run when it closes. */
  function sendToGlobal({ call, recorder, fail, established }: StreamSession): () => void {
    const stream = new MessageStream(call, { incoming: requestCodec, outgoing: responseCodec }, recorder);
    const streamSender = new DeltaSender({
      types: options.zoneToGlobal.types,
      snapshot: (type) => options.zoneToGlobal.snapshotFor(type),
      send: (response) => stream.send(response),
      stats: recorder,
    });
    sender = streamSender;
    stream.listen({
      onMessage: (request) => {
        established();
        streamSender.handleRequest(request);
      },
      onMalformed: (error) => fail(status.INTERNAL, `malformed DeltaDiscoveryRequest: ${error.message}`),
    });
    return () => {
      stream.end();
      streamSender.close();
      if (sender === streamSender) sender = undefined;
    };
  }

  /** Wires the requests stream; returns what to run when it closes. */
  function answerGlobal({ call, recorder, fail, established }: StreamSession): () => void {
    const stream = new MessageStream(call, { incoming: globalRequestCodec, outgoing: zoneReplyCodec }, recorder);
    // The global sends headers once it accepted the stream; requests may not come for a long time.
    call.on("metadata", () => established());
    stream.listen({
      onMessage: (request) => {
        established();
        void answer(request).then((reply) => stream.send(reply));
      },
      onMalformed: (error) => fail(status.INTERNAL, `malformed GlobalRequest: ${error.message}`),
    });
    return () => stream.end();
  }

  async function answer({ requestId, kind, payload }: GlobalRequest): Promise<ZoneReply> {
    const failed = (code: status, message: string): ZoneReply => ({ requestId, payload: Buffer.alloc(0), error: { code, message } });
    const handler = Object.hasOwn(options.globalRequests ?? {}, kind) ? options.globalRequests![kind] : undefined;
    if (!handler) return failed(status.UNIMPLEMENTED, `zone "${identity.zone}" has no handler for request kind "${kind}"`);
    let input: unknown;
    try {
      input = JSON.parse(Buffer.from(payload).toString("utf8"));
    } catch (error) {
      return failed(status.INVALID_ARGUMENT, `request payload is not JSON: ${(error as Error).message}`);
    }
    try {
      const result = await handler(input);
      return { requestId, payload: Buffer.from(JSON.stringify(result ?? null)), error: null };
    } catch (error) {
      return failed(status.UNKNOWN, (error as Error).message);
    }
  }

  function ended(kind: KdsStreamKind, call: RawClientCall | undefined, end: KdsStreamEnd): void {
    const current = slots[kind];
    if (call && current.call !== call) return;
    current.call = undefined;
    current.status.established = false;
    current.status.lastError = { ...end, at: new Date() };
    options.onStreamClosed?.(kind, end);
    if (!channel) return;
    current.redial = setTimeout(() => void dial(kind), current.backoff.nextDelayMs());
  }

  return {
    start() {
      if (channel) return;
      channel = new Client(options.address, options.credentials ?? grpcCredentials.createInsecure(), {
        ...channelDefaults,
        "grpc.initial_reconnect_backoff_ms": initialDelayMs,
        "grpc.max_reconnect_backoff_ms": maxDelayMs,
        ...options.grpcOptions,
      });
      unsubscribe = options.zoneToGlobal.subscribe((type) => sender?.resourcesChanged(type));
      void dial("globalToZone");
      void dial("zoneToGlobal");
      if (options.globalRequests) void dial("requests");
    },
    stop() {
      const closing = channel;
      if (!closing) return;
      channel = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const current of Object.values(slots)) {
        clearTimeout(current.redial);
        current.redial = undefined;
        current.call?.cancel();
      }
      closing.close();
    },
    connected: () => slots.globalToZone.status.established && slots.zoneToGlobal.status.established,
    stats: () =>
      structuredClone({
        ...totals,
        streams: { globalToZone: slots.globalToZone.status, zoneToGlobal: slots.zoneToGlobal.status, requests: slots.requests.status },
      }),
  };
}
