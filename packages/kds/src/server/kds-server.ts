import { Metadata, Server, ServerCredentials, status, type ServerDuplexStream, type ServerOptions } from "@grpc/grpc-js";
import { DeltaReceiver } from "../delta-receiver";
import { DeltaSender } from "../delta-sender";
import { MessageStream } from "../message-stream";
import type { KdsResource, ResourceDelta } from "../resource";
import type { KdsStreamKind } from "../stats";
import { channelDefaults } from "../wire/channel-defaults";
import { globalRequestCodec, kdsSyncService, requestCodec, responseCodec, zoneReplyCodec } from "../wire/kds-service";
import type { ZoneIdentity } from "../zone-metadata";
import { admitZone, type AuthenticateZone } from "./authenticate-zone";
import {
  ZoneRegistry,
  type DuplicateZonePolicy,
  type RegisteredStream,
  type ZoneConnection,
  type ZoneStats,
} from "./zone-registry";
import { DEFAULT_REQUEST_TIMEOUT_MS, KdsRequestError, ZoneRequestChannel, type KdsRequestOptions } from "./zone-requests";

export interface KdsServerOptions {
  authenticateZone: AuthenticateZone;
  /** What the global publishes to each zone. */
  globalToZone: {
    types: readonly string[];
    snapshotFor(zone: string, type: string): Promise<KdsResource[]> | KdsResource[];
    /** Called once; `onChange(type)` makes every connected zone get the new delta of that type. Returns an unsubscribe. */
    subscribe(onChange: (type: string) => void): () => void;
  };
  /** What the global takes from zones. */
  zoneToGlobal: {
    types: readonly string[];
    /** What the global holds from this zone, reported on subscription so the zone sends only the difference. */
    heldFrom(zone: string, type: string): Promise<KdsResource[]> | KdsResource[];
    /** Applies one response from the zone; a throw NACKs it with the error's message. */
    onZoneResources(zone: string, type: string, delta: ResourceDelta): Promise<void> | void;
  };
  onZoneConnect?(connection: ZoneConnection): void;
  onZoneDisconnect?(connection: ZoneConnection): void;
  /**
   * Default "refuse-newcomer": a second instance claiming a connected zone gets ALREADY_EXISTS.
   * With "replace-existing" the old instance is cut off, but if it is still alive it will redial
   * and take the zone back: use it only when a stale connection is the likelier cause.
   */
  duplicateZone?: DuplicateZonePolicy;
  grpcOptions?: ServerOptions;
}

export interface KdsServer {
  /** Binds e.g. "127.0.0.1:0" and resolves with the port. */
  listen(address: string, credentials?: ServerCredentials): Promise<number>;
  /** Ends every stream with UNAVAILABLE and stops the server. */
  close(): Promise<void>;
  connectedZones(): ZoneConnection[];
  zoneStats(zone: string): ZoneStats | undefined;
  allZoneStats(): ZoneStats[];
  openStreamCount(): number;
  /** Cuts a connected zone off (e.g. its token was revoked); it will redial and face `authenticateZone` again. */
  disconnectZone(zone: string, reason: string): boolean;
  /**
   * Asks a connected zone over the requests stream it opened, and resolves with its JSON answer.
   * Rejects with a `KdsRequestError`: ZONE_NOT_CONNECTED, TIMEOUT or ZONE_ERROR (its handler failed or it has none for `kind`).
   */
  request(zone: string, kind: string, payload: unknown, options?: KdsRequestOptions): Promise<unknown>;
}

type RawServerCall = ServerDuplexStream<Buffer, Buffer>;

interface OpenedStream {
  identity: ZoneIdentity;
  registered: RegisteredStream;
  /** Runs once, however the stream ends. */
  onClose(cleanup: (reason: string) => void): void;
  /** Ends the stream with an error status. */
  fail(code: status, reason: string): void;
}

export function createKdsServer(options: KdsServerOptions): KdsServer {
  const grpcServer = new Server({ ...channelDefaults, ...options.grpcOptions });
  const registry = new ZoneRegistry(options.duplicateZone ?? "refuse-newcomer", {
    onConnect: (connection) => options.onZoneConnect?.(connection),
    onDisconnect: (connection) => options.onZoneDisconnect?.(connection),
  });
  const senders = new Set<DeltaSender>();
  const requestChannels = new Map<string, ZoneRequestChannel>();
  const unsubscribe = options.globalToZone.subscribe((type) => {
    for (const sender of senders) sender.resourcesChanged(type);
  });

  /** Authenticates and registers the zone; undefined if the stream was refused or is already gone. */
  async function open(call: RawServerCall, kind: KdsStreamKind): Promise<OpenedStream | undefined> {
    const admission = await admitZone(call.metadata, (zone, token, metadata) =>
      options.authenticateZone(zone, token, metadata),
    );
    if (!admission.ok) {
      call.emit("error", { code: admission.code, details: admission.reason });
      return undefined;
    }
    if (call.cancelled) return undefined;
    const { identity } = admission;
    const claim = registry.claim(identity, call.getPeer(), kind, (reason) => close(reason, status.ABORTED));
    if (!claim.ok) {
      call.emit("error", { code: status.ALREADY_EXISTS, details: claim.reason });
      return undefined;
    }
    const registered = claim.stream;
    const cleanups: Array<(reason: string) => void> = [];
    let closed = false;
    function close(reason: string, code?: status): void {
      if (closed) return;
      closed = true;
      for (const cleanup of cleanups) cleanup(reason);
      registered.stats.closed(reason);
      registry.release(identity.zone, registered);
      if (code === undefined) call.end();
      else call.emit("error", { code, details: reason });
    }
    call.on("cancelled", () => close("cancelled by the zone"));
    call.on("error", () => close("stream error"));
    call.on("end", () => close("ended by the zone"));
    return {
      identity,
      registered,
      onClose: (cleanup) => cleanups.push(cleanup),
      fail: (code, reason) => close(reason, code),
    };
  }

  async function globalToZoneSync(call: RawServerCall): Promise<void> {
    const opened = await open(call, "globalToZone");
    if (!opened) return;
    const { identity, registered } = opened;
    const stream = new MessageStream(call, { incoming: requestCodec, outgoing: responseCodec }, registered.stats);
    const sender = new DeltaSender({
      types: options.globalToZone.types,
      snapshot: (type) => options.globalToZone.snapshotFor(identity.zone, type),
      send: (response) => stream.send(response),
      stats: registered.stats,
    });
    senders.add(sender);
    opened.onClose(() => {
      stream.end();
      sender.close();
      senders.delete(sender);
    });
    stream.listen({
      onMessage: (request) => {
        if (request.node && request.node.zone !== identity.zone) {
          opened.fail(
            status.INVALID_ARGUMENT,
            `request names zone "${request.node.zone}" but the stream was opened for zone "${identity.zone}"`,
          );
          return;
        }
        sender.handleRequest(request);
      },
      onMalformed: (error) => opened.fail(status.INVALID_ARGUMENT, `malformed DeltaDiscoveryRequest: ${error.message}`),
    });
  }

  async function zoneToGlobalSync(call: RawServerCall): Promise<void> {
    const opened = await open(call, "zoneToGlobal");
    if (!opened) return;
    const { identity, registered } = opened;
    const stream = new MessageStream(call, { incoming: responseCodec, outgoing: requestCodec }, registered.stats);
    const receiver = new DeltaReceiver({
      types: options.zoneToGlobal.types,
      held: (type) => options.zoneToGlobal.heldFrom(identity.zone, type),
      apply: (type, delta) => options.zoneToGlobal.onZoneResources(identity.zone, type, delta),
      send: (request) => stream.send(request),
      stats: registered.stats,
    });
    opened.onClose(() => {
      stream.end();
      receiver.close();
    });
    stream.listen({
      onMessage: (response) => receiver.handleResponse(response),
      onMalformed: (error) => opened.fail(status.INVALID_ARGUMENT, `malformed DeltaDiscoveryResponse: ${error.message}`),
    });
    receiver.subscribe().catch((error: Error) => {
      opened.fail(status.UNAVAILABLE, `global could not read what it holds from zone "${identity.zone}": ${error.message}`);
    });
  }

  async function globalToZoneRequests(call: RawServerCall): Promise<void> {
    const opened = await open(call, "requests");
    if (!opened) return;
    const { identity, registered } = opened;
    const stream = new MessageStream(call, { incoming: zoneReplyCodec, outgoing: globalRequestCodec }, registered.stats);
    const channel = new ZoneRequestChannel(identity.zone, (request) => stream.send(request));
    requestChannels.set(identity.zone, channel);
    opened.onClose((reason) => {
      stream.end();
      if (requestChannels.get(identity.zone) === channel) requestChannels.delete(identity.zone);
      channel.close(reason);
    });
    stream.listen({
      onMessage: (reply) => channel.handleReply(reply),
      onMalformed: (error) => opened.fail(status.INVALID_ARGUMENT, `malformed ZoneReply: ${error.message}`),
    });
    // Headers tell the zone its stream was accepted, before any request comes.
    call.sendMetadata(new Metadata());
  }

  async function request(zone: string, kind: string, payload: unknown, requestOptions: KdsRequestOptions = {}): Promise<unknown> {
    const channel = requestChannels.get(zone);
    if (!channel) {
      const connected = registry.connectedZones().some((connection) => connection.zone === zone);
      throw new KdsRequestError(
        "ZONE_NOT_CONNECTED",
        zone,
        connected
          ? `zone "${zone}" is connected but has no requests stream open (a zone CP without GlobalToZoneRequests?)`
          : `zone "${zone}" is not connected to this global control plane`,
      );
    }
    return channel.request(kind, payload, requestOptions.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  }

  grpcServer.addService(kdsSyncService, {
    globalToZone: (call: RawServerCall) => void globalToZoneSync(call),
    zoneToGlobal: (call: RawServerCall) => void zoneToGlobalSync(call),
    requests: (call: RawServerCall) => void globalToZoneRequests(call),
  });

  return {
    listen: (address, credentials = ServerCredentials.createInsecure()) =>
      new Promise((resolve, reject) => {
        grpcServer.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
      }),
    close: async () => {
      unsubscribe();
      registry.endAll("KDS server is shutting down");
      grpcServer.forceShutdown();
    },
    connectedZones: () => registry.connectedZones(),
    zoneStats: (zone) => registry.zoneStats(zone),
    allZoneStats: () => registry.allZoneStats(),
    openStreamCount: () => registry.openStreamCount(),
    disconnectZone: (zone, reason) => registry.disconnect(zone, reason),
    request,
  };
}
