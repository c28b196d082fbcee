import { createHash } from "node:crypto";
import type { KdsResource } from "./resource";
import { keyString, parseKeyString } from "./resource";
import type { StreamStatsRecorder } from "./stats";
import { serializeResource } from "./version";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from "./wire/messages";

export interface DeltaSenderOptions {
  types: readonly string[];
  snapshot(type: string): Promise<KdsResource[]> | KdsResource[];
  send(response: DeltaDiscoveryResponse): void;
  stats: StreamStatsRecorder;
}

interface InFlightResponse {
  nonce: string;
  /** Version per key the response sets; null for a removal. */
  changes: Map<string, string | null>;
  systemVersion: string;
}

interface TypeState {
  /** What the receiver is known to hold: its initial versions, then every ACKed change. */
  acked: Map<string, string>;
  inFlight?: InFlightResponse;
  /** System version of the last NACKed delta: the same delta is not sent again. */
  rejected?: string;
  computing: boolean;
  /** The source changed while a delta was being computed or awaiting its ACK. */
  dirty: boolean;
  initialSent: boolean;
}

/**
 * The sending side of one stream: answers the receiver's subscriptions with the
 * difference between the source's snapshot and what the receiver holds, one
 * response in flight per type, and follows ACKs and NACKs.
 */
export class DeltaSender {
  private readonly states = new Map<string, TypeState>();
  private nextNonce = 1;
  private closed = false;

  constructor(private readonly options: DeltaSenderOptions) {}

  handleRequest(request: DeltaDiscoveryRequest): void {
    if (!this.options.types.includes(request.type)) return;
    if (request.responseNonce === "") {
      this.subscribe(request);
      return;
    }
    const state = this.states.get(request.type);
    const inFlight = state?.inFlight;
    if (!state || inFlight?.nonce !== request.responseNonce) return;
    state.inFlight = undefined;
    if (request.errorDetail) {
      state.rejected = inFlight.systemVersion;
      this.options.stats.nack(request.type, request.errorDetail.message);
    } else {
      for (const [key, version] of inFlight.changes) {
        if (version === null) state.acked.delete(key);
        else state.acked.set(key, version);
      }
      state.rejected = undefined;
      this.options.stats.ack(request.type, inFlight.systemVersion);
    }
    if (state.dirty) void this.sync(request.type);
  }

  resourcesChanged(type: string): void {
    if (this.states.has(type)) void this.sync(type);
  }

  close(): void {
    this.closed = true;
    this.states.clear();
  }

  private subscribe(request: DeltaDiscoveryRequest): void {
    const acked = new Map(request.initialResourceVersions.map((held) => [keyString(held), held.version]));
    this.states.set(request.type, { acked, computing: false, dirty: false, initialSent: false });
    void this.sync(request.type);
  }

  /** Never rejects: a failing source or an unencodable resource is recorded in the type's stats. */
  private async sync(type: string): Promise<void> {
    const state = this.states.get(type);
    if (!state) return;
    if (state.computing || state.inFlight) {
      state.dirty = true;
      return;
    }
    state.computing = true;
    state.dirty = false;
    let sent = false;
    try {
      const resources = await this.options.snapshot(type);
      if (this.closed || this.states.get(type) !== state) return;
      const response = this.delta(type, state, resources);
      if (response && (!state.initialSent || response.systemVersion !== state.rejected)) {
        const { message, changes, systemVersion } = response;
        this.options.send(message);
        state.initialSent = true;
        state.inFlight = { nonce: message.nonce, changes, systemVersion };
        this.options.stats.response(type);
        sent = true;
      }
    } catch (error) {
      this.options.stats.localError(type, `could not send resources: ${(error as Error).message}`);
    } finally {
      state.computing = false;
    }
    if (!sent && state.dirty) void this.sync(type);
  }

  private delta(type: string, state: TypeState, resources: KdsResource[]) {
    const changes = new Map<string, string | null>();
    const desired = new Map<string, string>();
    const upserted: DeltaDiscoveryResponse["resources"] = [];
    for (const resource of resources) {
      const key = keyString(resource);
      const { version, bodyJson } = serializeResource(resource);
      desired.set(key, version);
      if (state.acked.get(key) === version) continue;
      changes.set(key, version);
      const { mesh, name, labels } = resource;
      upserted.push({ mesh, name, version, labels, body: Buffer.from(bodyJson) });
    }
    const removed = [...state.acked.keys()].filter((key) => !desired.has(key));
    for (const key of removed) changes.set(key, null);
    if (changes.size === 0 && state.initialSent) return undefined;

    // Between two ACKs the delta depends only on the desired state, so the state's hash identifies a NACKed delta.
    const systemVersion = createHash("sha256")
      .update(JSON.stringify([...desired].sort(([a], [b]) => (a < b ? -1 : 1))))
      .digest("hex")
      .slice(0, 16);
    const message: DeltaDiscoveryResponse = {
      systemVersionInfo: systemVersion,
      type,
      resources: upserted,
      removedResources: removed.map(parseKeyString),
      nonce: String(this.nextNonce++),
    };
    return { message, changes, systemVersion };
  }
}
