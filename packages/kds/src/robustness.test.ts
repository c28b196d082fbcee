import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Client, credentials, status, type StatusObject } from "@grpc/grpc-js";
import { resource, startGlobal, startZone, waitFor, type TestGlobal, type TestZone } from "./test-support/harness";
import { kdsSyncService, requestCodec, responseCodec } from "./wire/kds-service";
import { zoneMetadata } from "./zone-metadata";

const cleanup: Array<() => unknown> = [];
after(() => Promise.all(cleanup.map((close) => close())));

async function globalWithSteadyZone(): Promise<{ global: TestGlobal; steady: TestZone }> {
  const global = await startGlobal();
  cleanup.push(() => global.server.close());
  const steady = startZone({ port: global.port, zone: "steady" });
  cleanup.push(() => steady.client.stop());
  await waitFor("steady zone connected", () => steady.client.connected());
  return { global, steady };
}

async function steadyStillSyncs(global: TestGlobal, steady: TestZone, name: string): Promise<void> {
  global.published.put("Mesh", resource("", name, {}));
  steady.published.put("Dataplane", resource("default", name, {}));
  await waitFor(`steady zone syncs ${name}`, () =>
    steady.fromGlobal.list("Mesh").some((r) => r.name === name) &&
    global.fromZone("steady").list("Dataplane").some((r) => r.name === name));
}

function sendRaw(port: number, kind: "globalToZone" | "zoneToGlobal", bytes: Buffer): Promise<StatusObject> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const identity = { zone: "garbage", instanceId: "g-1", version: "" };
  const metadata = zoneMetadata(identity, "token-garbage");
  const call = client.makeBidiStreamRequest(kdsSyncService[kind].path, (b: Buffer) => b, (b: Buffer) => b, metadata, {
    deadline: Date.now() + 5000,
  });
  call.on("error", () => {});
  call.on("data", () => {});
  call.write(bytes);
  return new Promise((resolve) => call.on("status", (s: StatusObject) => { client.close(); resolve(s); }));
}

test("a peer sending malformed messages on either stream is cut off with INVALID_ARGUMENT; other zones keep syncing", async () => {
  const { global, steady } = await globalWithSteadyZone();
  // Field 15 with wire type 7, which does not exist.
  const malformed = Buffer.from([0x7f, 0x01]);
  const onGlobalToZone = await sendRaw(global.port, "globalToZone", malformed);
  const onZoneToGlobal = await sendRaw(global.port, "zoneToGlobal", malformed);

  assert.equal(onGlobalToZone.code, status.INVALID_ARGUMENT);
  assert.match(onGlobalToZone.details, /^malformed DeltaDiscoveryRequest: /);
  assert.equal(onZoneToGlobal.code, status.INVALID_ARGUMENT);
  assert.match(onZoneToGlobal.details, /^malformed DeltaDiscoveryResponse: /);
  await waitFor("garbage zone gone", () => global.server.connectedZones().length === 1);
  assert.equal(global.server.openStreamCount(), 2);
  await steadyStillSyncs(global, steady, "after-garbage");
});

/** A hand-driven zone on the zoneToGlobal stream: sends raw responses, collects the global's ACKs/NACKs by nonce. */
function rawZoneSender(port: number, zone: string) {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  cleanup.push(() => client.close());
  const metadata = zoneMetadata({ zone, instanceId: `${zone}-1`, version: "" }, `token-${zone}`);
  const call = client.makeBidiStreamRequest(kdsSyncService.zoneToGlobal.path, (b: Buffer) => b, (b: Buffer) => b, metadata);
  call.on("error", () => {});
  const answers: Array<{ nonce: string; error?: string }> = [];
  call.on("data", (bytes: Buffer) => {
    const request = requestCodec.decode(bytes);
    if (request.responseNonce) answers.push({ nonce: request.responseNonce, error: request.errorDetail?.message });
  });
  const send = (nonce: string, name: string, body: string) =>
    call.write(responseCodec.encode({
      systemVersionInfo: "", type: "Dataplane", nonce, removedResources: [],
      resources: [{ mesh: "default", name, version: name, labels: {}, body: Buffer.from(body) }],
    }));
  return { call, answers, send };
}

test("resources whose body is not JSON are NACKed with the reason, not applied", async () => {
  const { global } = await globalWithSteadyZone();
  const liar = rawZoneSender(global.port, "liar");
  liar.send("n-1", "web", "{not json");
  await waitFor("NACK", () => liar.answers.length === 1);
  assert.equal(liar.answers[0]!.nonce, "n-1");
  assert.match(liar.answers[0]!.error ?? "", /^resource "web" in mesh "default": body is not JSON: /);
  assert.deepEqual(global.fromZone("liar").contents(), {});
  liar.call.cancel();
});

test("responses sent back to back are applied one at a time, in order", async () => {
  const { global } = await globalWithSteadyZone();
  const store = global.fromZone("eager");
  const apply = store.apply.bind(store);
  const applied: string[] = [];
  let running = 0;
  store.apply = async (type, delta) => {
    assert.equal(++running, 1, "no two applies at once");
    await new Promise((resolve) => setTimeout(resolve, 20));
    applied.push(delta.upserted[0]!.name);
    apply(type, delta);
    running--;
  };
  const eager = rawZoneSender(global.port, "eager");
  for (const n of [1, 2, 3, 4]) eager.send(`n-${n}`, `dp-${n}`, "{}");
  await waitFor("four ACKs", () => eager.answers.length === 4);
  assert.deepEqual(eager.answers, ["n-1", "n-2", "n-3", "n-4"].map((nonce) => ({ nonce, error: undefined })));
  assert.deepEqual(applied, ["dp-1", "dp-2", "dp-3", "dp-4"]);
  eager.call.cancel();
});

test("a zone that NACKs everything is not resent the same delta and does not hold up other zones", async () => {
  const { global, steady } = await globalWithSteadyZone();
  const stubborn = startZone({
    port: global.port,
    zone: "stubborn",
    overrides: {
      globalToZone: {
        types: ["Mesh"],
        heldFromGlobal: () => [],
        onGlobalResources: () => {
          throw new Error("rejecting everything");
        },
      },
    },
  });
  cleanup.push(() => stubborn.client.stop());
  await waitFor("stubborn connected", () => stubborn.client.connected());
  const meshStats = () => global.server.zoneStats("stubborn")!.streams.globalToZone!.types.Mesh!;
  await waitFor("initial response NACKed", () => meshStats().nacked === 1);

  global.published.put("Mesh", resource("", "m1", { v: 1 }));
  await waitFor("change NACKed", () => meshStats().nacked === 2);
  for (let i = 0; i < 5; i++) global.published.put("Mesh", resource("", "m1", { v: 1 }));
  // A type the stubborn zone does not take: once the steady zone has it, the no-op changes above were handled.
  global.published.put("Secret", resource("default", "barrier", {}));
  await waitFor("steady zone synced", () =>
    steady.fromGlobal.list("Secret").length === 1 && steady.fromGlobal.list("Mesh").some((r) => r.name === "m1"));
  assert.equal(meshStats().responses, 2, "no-op changes do not resend the NACKed delta");
  assert.equal(meshStats().lastNackError, "rejecting everything");

  global.published.put("Mesh", resource("", "m1", { v: 2 }));
  await waitFor("new content is offered", () => meshStats().responses === 3);
});

test("a zone that disconnects while the global is applying its resources leaves nothing behind, and resyncs", async () => {
  const { global } = await globalWithSteadyZone();
  const store = global.fromZone("flaky");
  const apply = store.apply.bind(store);
  let applying = 0;
  store.apply = async (type, delta) => {
    applying++;
    await new Promise((resolve) => setTimeout(resolve, 50));
    apply(type, delta);
  };
  const flaky = startZone({ port: global.port, zone: "flaky" });
  flaky.published.put("Dataplane", resource("default", "web-1", {}));
  await waitFor("global applying", () => applying > 0);
  flaky.client.stop();
  await waitFor("flaky gone", () => global.server.openStreamCount() === 2);

  flaky.published.put("Dataplane", resource("default", "web-2", {}));
  const back = startZone({ port: global.port, zone: "flaky", published: flaky.published, fromGlobal: flaky.fromGlobal });
  cleanup.push(() => back.client.stop());
  await waitFor("flaky converged", () => JSON.stringify(store.contents()) === JSON.stringify(back.published.contents()));
});

test("50 connect/disconnect cycles of a zone leave the server's state and process handles at baseline", async () => {
  const { global, steady } = await globalWithSteadyZone();
  const handles = () => process.getActiveResourcesInfo().filter((kind) => kind !== "Timeout").length;
  const baseline = { streams: global.server.openStreamCount(), listeners: global.published.listenerCount(), handles: handles() };

  for (let cycle = 0; cycle < 50; cycle++) {
    const churn = startZone({ port: global.port, zone: "churn" });
    churn.published.put("Dataplane", resource("default", `dp-${cycle}`, {}));
    await waitFor("churn connected", () => churn.client.connected());
    churn.client.stop();
    assert.equal(churn.published.listenerCount(), 0);
    await waitFor("churn disconnected", () => global.server.connectedZones().length === 1);
  }

  assert.equal(global.server.openStreamCount(), baseline.streams);
  assert.equal(global.published.listenerCount(), baseline.listeners);
  assert.equal(global.server.zoneStats("churn")?.connections, 50);
  assert.equal(global.server.zoneStats("churn")?.connected, false);
  assert.deepEqual(global.server.connectedZones().map((z) => z.zone), ["steady"]);
  await waitFor("sockets closed", () => handles() <= baseline.handles, 2000);
  await steadyStillSyncs(global, steady, "after-churn");
});

test("a client stopped and started again at once opens exactly one pair of streams", async () => {
  const authenticated: string[] = [];
  const global = await startGlobal({
    overrides: {
      authenticateZone: (zone: string) => {
        authenticated.push(zone);
        return { allowed: true } as const;
      },
    },
  });
  cleanup.push(() => global.server.close());
  const restarted = startZone({ port: global.port, zone: "restarted" });
  cleanup.push(() => restarted.client.stop());
  restarted.client.stop();
  restarted.client.start();
  restarted.published.put("Dataplane", resource("default", "web", {}));
  await waitFor("synced", () => global.fromZone("restarted").list("Dataplane").length === 1);
  assert.deepEqual(authenticated, ["restarted", "restarted"]);
  assert.equal(global.server.openStreamCount(), 2);
});
