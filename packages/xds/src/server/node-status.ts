import type { TypeUrl } from "../protos/type-urls";

export interface NackRecord {
  version: string;
  nonce: string;
  error: string;
  time: Date;
}

export interface TypeStatus {
  lastSentVersion?: string;
  lastSentNonce?: string;
  /** The node's last good state for this type. */
  lastAckedVersion?: string;
  lastNack?: NackRecord;
}

export interface NodeStatus {
  connectedStreams: number;
  types: Partial<Record<TypeUrl, TypeStatus>>;
}

/** ACK/NACK bookkeeping per connected node; a node is forgotten when its last stream closes. */
export class NodeStatusRegistry {
  readonly #nodes = new Map<string, NodeStatus>();

  streamOpened(nodeId: string): void {
    const status = this.#nodes.get(nodeId);
    if (status) status.connectedStreams++;
    else this.#nodes.set(nodeId, { connectedStreams: 1, types: {} });
  }

  streamClosed(nodeId: string): void {
    const status = this.#nodes.get(nodeId);
    if (!status) return;
    status.connectedStreams--;
    if (status.connectedStreams === 0) this.#nodes.delete(nodeId);
  }

  #type(nodeId: string, typeUrl: TypeUrl): TypeStatus | undefined {
    const status = this.#nodes.get(nodeId);
    if (!status) return undefined;
    return (status.types[typeUrl] ??= {});
  }

  sent(nodeId: string, typeUrl: TypeUrl, version: string, nonce: string): void {
    const type = this.#type(nodeId, typeUrl);
    if (type) Object.assign(type, { lastSentVersion: version, lastSentNonce: nonce });
  }

  acked(nodeId: string, typeUrl: TypeUrl, version: string): void {
    const type = this.#type(nodeId, typeUrl);
    if (type) type.lastAckedVersion = version;
  }

  nacked(nodeId: string, typeUrl: TypeUrl, nack: NackRecord): void {
    const type = this.#type(nodeId, typeUrl);
    if (type) type.lastNack = nack;
  }

  /** A copy, safe to hand out. */
  get(nodeId: string): NodeStatus | undefined {
    return structuredClone(this.#nodes.get(nodeId));
  }

  nodeCount(): number {
    return this.#nodes.size;
  }
}
