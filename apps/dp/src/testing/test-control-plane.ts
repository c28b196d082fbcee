import { createAdsServer, SnapshotCache, type AdsCallbacks, type AdsServer, type SnapshotResources } from "@zonemesh/xds";
import { AdsConnection, type AdsEvent } from "../ads/ads-client";
import { Engine } from "../engine/engine";
import { eventually as retryUntil } from "../../../cp/src/testing/eventually";

/** An in-process ADS server on 127.0.0.1 with a snapshot cache, as the zone CP would serve. */
export class TestControlPlane {
  readonly cache = new SnapshotCache();
  #server: AdsServer = createAdsServer({ cache: this.cache });
  port = 0;

  constructor(readonly callbacks: AdsCallbacks = {}) {}

  async start(port = 0): Promise<this> {
    this.#server = createAdsServer({ cache: this.cache, callbacks: this.callbacks });
    this.port = await this.#server.listen(`127.0.0.1:${port}`);
    return this;
  }

  set(nodeId: string, resources: SnapshotResources): void {
    this.cache.setSnapshot(nodeId, resources);
  }

  /** Sets a snapshot and waits until the node has ACKed or NACKed everything sent since, with a quiet moment. */
  async setAndSettle(nodeId: string, resources: SnapshotResources): Promise<void> {
    const nonces = () => JSON.stringify(Object.values(this.#server.status(nodeId)?.types ?? {}).map((type) => type.lastSentNonce));
    const settled = () => Object.values(this.#server.status(nodeId)?.types ?? {}).every((type) => type.lastAckedVersion === type.lastSentVersion || type.lastNack?.nonce === type.lastSentNonce);
    const before = nonces();
    this.cache.setSnapshot(nodeId, resources);
    await eventually(() => {
      if (nonces() === before || !settled()) throw new Error(`node ${nodeId} did not settle: ${JSON.stringify(this.#server.status(nodeId))}`);
    });
    for (let quiet = 0; quiet < 4; quiet++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const current = nonces();
      await eventually(() => {
        if (!settled()) throw new Error(`node ${nodeId} did not settle`);
      });
      if (current !== nonces()) quiet = 0;
    }
  }

  async stop(): Promise<void> {
    await this.#server.close();
  }
}

/** An engine fed by an ADS connection, with the events it reported. */
export class TestProxy {
  readonly engine = new Engine();
  readonly events: AdsEvent[] = [];
  readonly connection: AdsConnection;

  constructor(nodeId: string, adsPort: number) {
    this.connection = new AdsConnection({
      address: `127.0.0.1:${adsPort}`,
      node: { id: nodeId },
      target: this.engine,
      backoff: { initialMs: 50, maxMs: 200 },
      onEvent: (event) => this.events.push(event),
    });
    this.connection.start();
  }

  async stop(): Promise<void> {
    this.connection.stop();
    await this.engine.close();
  }
}

/** The CP tests' `eventually`, polling faster and giving up sooner, as the engine's tests want. */
export const eventually = <T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> => retryUntil(check, timeoutMs, 25);
