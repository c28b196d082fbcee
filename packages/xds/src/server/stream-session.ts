import { status, type ServerDuplexStream } from "@grpc/grpc-js";
import type { Snapshot } from "../cache/snapshot";
import type { TypeUrl } from "../protos/type-urls";
import type { StreamInfo } from "./callbacks";
import type { WireNode } from "../protos/discovery-messages";
import { nodeFromWire } from "./node";
import type { ServerContext } from "./server-context";
import { StreamError, toGrpcStatus } from "./stream-error";

/** The xDS variant (SotW or delta) spoken on one stream once its node is known. */
export interface ProtocolStream<Request> {
  handle(request: Request): void;
  onSnapshot(snapshot: Snapshot, changedTypes: readonly TypeUrl[]): void;
}

/**
 * Runs one ADS stream: takes the node from the first request, authenticates it, then hands
 * requests and snapshot changes to the protocol one at a time. Whatever way the stream ends,
 * its watcher, status entry and callbacks are released exactly once.
 */
export function serveStream<Request extends { node?: WireNode }, Response>(
  call: ServerDuplexStream<Request, Response>,
  kind: StreamInfo["kind"],
  context: ServerContext,
  createProtocol: (stream: StreamInfo, send: (response: Response) => void) => ProtocolStream<Request>,
): void {
  const { cache, callbacks, registry } = context;
  let stream: StreamInfo | undefined;
  let protocol: ProtocolStream<Request> | undefined;
  let stopWatching: (() => void) | undefined;
  let closed = false;
  let queue = Promise.resolve();
  // A stream that never identifies itself would otherwise hold its slot until the connection dies.
  const identifyTimer = setTimeout(
    () => fail({ code: status.DEADLINE_EXCEEDED, details: `no discovery request within ${context.firstRequestTimeoutMs} ms of opening the stream` }),
    context.firstRequestTimeoutMs,
  ).unref();

  const release = () => {
    if (closed) return false;
    closed = true;
    clearTimeout(identifyTimer);
    context.openStreams.delete(fail);
    stopWatching?.();
    if (stream) {
      registry.streamClosed(stream.node.id);
      callbacks.onStreamClose?.(stream);
    }
    return true;
  };
  function fail(error: { code: number; details: string }) {
    if (release()) call.emit("error", error);
  }
  context.openStreams.add(fail);

  const send = (response: Response) => {
    if (!closed) call.write(response);
  };

  const start = async (request: Request) => {
    const node = nodeFromWire(request.node ?? {});
    if (!node.id) throw new StreamError(status.INVALID_ARGUMENT, "the first request on an xDS stream must carry node.id");
    try {
      await callbacks.authenticate?.(node, call.metadata);
    } catch (error) {
      throw new StreamError(status.UNAUTHENTICATED, `node "${node.id}" was refused: ${(error as Error)?.message ?? String(error)}`);
    }
    if (closed) return undefined;
    const opened: StreamInfo = { streamId: context.nextStreamId(), kind, node, peer: call.getPeer() };
    stream = opened;
    registry.streamOpened(node.id);
    callbacks.onStreamOpen?.(opened);
    const started = createProtocol(opened, send);
    protocol = started;
    stopWatching = cache.watch(node.id, (snapshot, changedTypes) => {
      try {
        if (!closed) started.onSnapshot(snapshot, changedTypes);
      } catch (error) {
        fail(toGrpcStatus(error));
      }
    });
    return opened;
  };

  const handle = async (request: Request) => {
    if (closed) return;
    clearTimeout(identifyTimer);
    const current = stream ?? (await start(request));
    if (!current || !protocol || closed) return;
    callbacks.onRequest?.(current, request);
    protocol.handle(request);
  };

  call.on("data", (request: Request) => {
    queue = queue.then(() => handle(request)).catch((error) => fail(toGrpcStatus(error)));
  });
  call.on("end", () => {
    if (release()) call.end();
  });
  call.on("cancelled", release);
  call.on("error", release);
  call.on("close", release);
}
