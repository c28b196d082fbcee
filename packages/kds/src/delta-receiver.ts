import { status } from "@grpc/grpc-js";
import type { KdsResource, ResourceDelta, VersionedResource } from "./resource";
import type { StreamStatsRecorder } from "./stats";
import { resourceVersion } from "./version";
import type { ZoneIdentity } from "./zone-metadata";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from "./wire/messages";

export interface DeltaReceiverOptions {
  types: readonly string[];
  /** What this side already holds from the peer, reported on subscription so that only the difference is sent. */
  held(type: string): Promise<KdsResource[]> | KdsResource[];
  /** Applies one response; a throw NACKs it with the error's message. */
  apply(type: string, delta: ResourceDelta): Promise<void> | void;
  send(request: DeltaDiscoveryRequest): void;
  stats: StreamStatsRecorder;
  /** Put on the first request of the stream. */
  node?: ZoneIdentity;
}


class RejectedResponse extends Error {
  constructor(
    message: string,
    readonly code: status,
  ) {
    super(message);
  }
}

/**
 * The receiving side of one stream: subscribes to its types with the versions it
 * holds, then applies responses and ACKs or NACKs each.
 */
export class DeltaReceiver {
  private closed = false;

  constructor(private readonly options: DeltaReceiverOptions) {}

  /** Sends one subscription per type. Rejects if reading what is held fails. */
  async subscribe(): Promise<void> {
    let node = this.options.node ?? null;
    for (const type of this.options.types) {
      const held = await this.options.held(type);
      if (this.closed) return;
      this.options.send({
        node,
        type,
        initialResourceVersions: held.map((resource) => ({
          mesh: resource.mesh,
          name: resource.name,
          version: resourceVersion(resource),
        })),
        responseNonce: "",
        errorDetail: null,
      });
      node = null;
    }
  }

  close(): void {
    this.closed = true;
  }

  /** Applies one response and ACKs or NACKs it; the caller awaits it before handing over the next. */
  async handleResponse(response: DeltaDiscoveryResponse): Promise<void> {
    if (this.closed) return;
    const { type, nonce } = response;
    const subscribed = this.options.types.includes(type);
    if (subscribed) this.options.stats.response(type);
    let errorDetail: DeltaDiscoveryRequest["errorDetail"] = null;
    try {
      if (!subscribed) throw new RejectedResponse(`type "${type}" was not subscribed`, status.INVALID_ARGUMENT);
      await this.options.apply(type, decodeDelta(response));
    } catch (error) {
      const code = error instanceof RejectedResponse ? error.code : status.INTERNAL;
      errorDetail = { code, message: (error as Error).message };
    }
    if (this.closed) return;
    this.options.send({ node: null, type, initialResourceVersions: [], responseNonce: nonce, errorDetail });
    if (!subscribed) return;
    if (errorDetail) this.options.stats.nack(type, errorDetail.message);
    else this.options.stats.ack(type, response.systemVersionInfo);
  }
}

function decodeDelta(response: DeltaDiscoveryResponse): ResourceDelta {
  const upserted = response.resources.map((resource): VersionedResource => {
    const { mesh, name, version, labels } = resource;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(resource.body).toString("utf8"));
    } catch (error) {
      throw new RejectedResponse(
        `resource "${name}" in mesh "${mesh}": body is not JSON: ${(error as Error).message}`,
        status.INVALID_ARGUMENT,
      );
    }
    return { mesh, name, version, labels, body };
  });
  return { upserted, removed: response.removedResources };
}
