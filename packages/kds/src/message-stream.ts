import type { ClientDuplexStream, ServerDuplexStream } from "@grpc/grpc-js";
import type { StreamStatsRecorder } from "./stats";
import type { MessageCodec } from "./wire/kds-service";

type RawCall = ServerDuplexStream<Buffer, Buffer> | ClientDuplexStream<Buffer, Buffer>;

export interface MessageStreamHandlers<In> {
  /** When this returns a promise, no further message is delivered until it settles. */
  onMessage(message: In): void | Promise<void>;
  /** A message that does not decode; the stream is unusable after it. */
  onMalformed(error: Error): void;
}

/** Typed messages over a raw gRPC call, counting the bytes on the wire. */
export class MessageStream<In, Out> {
  private ended = false;

  constructor(
    private readonly call: RawCall,
    private readonly codecs: { incoming: MessageCodec<In>; outgoing: MessageCodec<Out> },
    private readonly stats: StreamStatsRecorder,
  ) {}

  /** Starts the flow of incoming messages; until then gRPC buffers them. */
  listen(handlers: MessageStreamHandlers<In>): void {
    this.call.on("data", (bytes: Buffer) => {
      if (this.ended) return;
      this.stats.messageReceived(bytes.length);
      let message: In;
      try {
        message = this.codecs.incoming.decode(bytes);
      } catch (error) {
        this.ended = true;
        handlers.onMalformed(error as Error);
        return;
      }
      const handled = handlers.onMessage(message);
      if (!handled) return;
      // Pausing the call also stops reading from the socket, so a peer that floods us is held back by flow control.
      this.call.pause();
      void handled.finally(() => {
        if (!this.ended) this.call.resume();
      });
    });
  }

  send(message: Out): void {
    if (this.ended) return;
    const bytes = this.codecs.outgoing.encode(message);
    this.stats.messageSent(bytes.length);
    this.call.write(bytes);
  }

  /** Stops sending; further incoming messages are dropped. */
  end(): void {
    this.ended = true;
  }
}
