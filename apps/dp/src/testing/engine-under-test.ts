import { after, before } from "node:test";
import { freePort } from "@zonemesh/testing";
import type { SnapshotResources } from "@zonemesh/xds";
import { httpBackend, type TestBackend } from "./backends";
import { TestControlPlane, TestProxy } from "./test-control-plane";

/**
 * For one describe block: a test control plane and an engine connected to it as `node`, a free port for the
 * engine's listener, and the backends the tests start. Started before the block's tests and stopped after them.
 */
export class EngineUnderTest {
  readonly cp = new TestControlPlane();
  readonly backends: TestBackend[] = [];
  proxy!: TestProxy;
  port = 0;

  constructor(readonly node = "default.web-1") {
    before(async () => {
      await this.cp.start();
      this.port = await freePort();
      this.proxy = new TestProxy(node, this.cp.port);
    });
    after(async () => {
      await this.proxy.stop();
      await this.cp.stop();
      await Promise.all(this.backends.map((backend) => backend.close()));
    });
  }

  /** Serves `resources` to the engine and waits until it has ACKed or NACKed them. */
  applied(resources: SnapshotResources): Promise<void> {
    return this.cp.setAndSettle(this.node, resources);
  }

  /** An HTTP backend, closed after the block. */
  async httpBackend(name: string, handler?: Parameters<typeof httpBackend>[1]): Promise<TestBackend> {
    const started = await httpBackend(name, handler);
    this.backends.push(started);
    return started;
  }
}
