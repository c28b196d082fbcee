import assert from "node:assert/strict";
import { after, test } from "node:test";
import { status } from "@grpc/grpc-js";
import { KdsRequestError, type KdsRequestErrorCode } from "./server/zone-requests";
import { startGlobal, startZone, waitFor, type TestZone } from "./test-support/harness";

const cleanup: Array<() => unknown> = [];
after(() => Promise.all(cleanup.map((close) => close())));

async function global() {
  const started = await startGlobal();
  cleanup.push(() => started.server.close());
  return started;
}

function zone(options: Parameters<typeof startZone>[0]): TestZone {
  const started = startZone(options);
  cleanup.push(() => started.client.stop());
  return started;
}

const requestsOpen = (started: TestZone) => started.client.stats().streams.requests.established;

/** zone-a answering with `handlers`, once its requests stream is open. */
async function answeringZone(port: number, handlers: Record<string, (payload: unknown) => unknown>): Promise<TestZone> {
  const started = zone({ port, zone: "zone-a", overrides: { globalRequests: handlers } });
  await waitFor("requests stream open", () => requestsOpen(started));
  return started;
}

async function rejection(promise: Promise<unknown>, code: KdsRequestErrorCode): Promise<string> {
  const error = await promise.then(
    () => assert.fail("the request was answered"),
    (error: unknown) => error,
  );
  assert.ok(error instanceof KdsRequestError, `not a KdsRequestError: ${String(error)}`);
  assert.equal(error.code, code);
  return error.message;
}

test("the global asks a zone over the stream the zone opened and gets each answer to its own request", async () => {
  const { port, server } = await global();
  await answeringZone(port, {
    echo: async (payload) => {
      const { delayMs, text } = payload as { delayMs: number; text: string };
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { echoed: text, zone: "zone-a" };
    },
  });

  // The slower request is sent first: replies are matched by id, not by order.
  const [slow, fast] = await Promise.all([
    server.request("zone-a", "echo", { delayMs: 200, text: "slow" }),
    server.request("zone-a", "echo", { delayMs: 0, text: "fast" }),
  ]);
  assert.deepEqual(slow, { echoed: "slow", zone: "zone-a" });
  assert.deepEqual(fast, { echoed: "fast", zone: "zone-a" });
  const stats = server.zoneStats("zone-a")!.streams.requests!;
  assert.deepEqual([stats.role, stats.messagesSent, stats.messagesReceived], ["requester", 2, 2]);
});

test("a zone's failure, an unknown kind and a slow zone are errors that say so", async () => {
  const { port, server } = await global();
  await answeringZone(port, {
    broken: () => {
      throw new Error("proxy table not loaded");
    },
    never: () => new Promise(() => {}),
  });

  assert.equal(await rejection(server.request("zone-a", "broken", {}), "ZONE_ERROR"), 'zone "zone-a" failed the request: proxy table not loaded');
  assert.equal(
    await rejection(server.request("zone-a", "xds-config", {}), "ZONE_ERROR"),
    'zone "zone-a" failed the request: zone "zone-a" has no handler for request kind "xds-config"',
  );
  const started = Date.now();
  assert.equal(
    await rejection(server.request("zone-a", "never", {}, { timeoutMs: 300 }), "TIMEOUT"),
    'zone "zone-a" did not answer the "never" request within 300 ms',
  );
  assert.ok(Date.now() - started >= 290);
});

test("an unknown zone, a zone without a requests stream and a zone that goes away are 'not connected'", async () => {
  const { port, server } = await global();
  assert.equal(await rejection(server.request("zone-x", "echo", {}), "ZONE_NOT_CONNECTED"), 'zone "zone-x" is not connected to this global control plane');

  const syncOnly = zone({ port, zone: "zone-b" });
  await waitFor("zone-b connected", () => syncOnly.client.connected());
  assert.match(await rejection(server.request("zone-b", "echo", {}), "ZONE_NOT_CONNECTED"), /zone "zone-b" is connected but has no requests stream open/);

  const leaving = await answeringZone(port, { never: () => new Promise(() => {}) });
  const pending = server.request("zone-a", "never", {}, { timeoutMs: 10_000 });
  await waitFor("request delivered", () => (server.zoneStats("zone-a")?.streams.requests?.messagesSent ?? 0) === 1);
  leaving.client.stop();
  assert.match(await rejection(pending, "ZONE_NOT_CONNECTED"), /^zone "zone-a" disconnected before answering \(.+\)$/);
  await waitFor("zone-a gone", () => !server.connectedZones().some((connection) => connection.zone === "zone-a"));
  assert.equal(await rejection(server.request("zone-a", "never", {}), "ZONE_NOT_CONNECTED"), 'zone "zone-a" is not connected to this global control plane');
});

test("the requests stream is authenticated like the sync streams", async () => {
  const { port, server } = await global();
  const refused = zone({ port, zone: "zone-a", token: "token-zone-b", overrides: { globalRequests: { echo: (payload) => payload } } });
  await waitFor("requests stream refused", () => refused.streamEnds.some((end) => end.kind === "requests"));
  refused.client.stop();
  const end = refused.streamEnds.find((candidate) => candidate.kind === "requests")!;
  assert.equal(end.code, status.PERMISSION_DENIED);
  assert.equal(end.details, 'zone "zone-a" refused: token was issued for zone "zone-b"');
  assert.equal(await rejection(server.request("zone-a", "echo", {}), "ZONE_NOT_CONNECTED"), 'zone "zone-a" is not connected to this global control plane');
});

test("after the global restarts, the zone redials its requests stream and answers again", async () => {
  const first = await global();
  await answeringZone(first.port, { echo: (payload) => payload });
  assert.deepEqual(await first.server.request("zone-a", "echo", { n: 1 }), { n: 1 });
  await first.server.close();

  const second = await startGlobal({ port: first.port });
  cleanup.push(() => second.server.close());
  await waitFor("requests stream redialed", () => second.server.zoneStats("zone-a")?.streams.requests !== undefined);
  assert.deepEqual(await second.server.request("zone-a", "echo", { n: 2 }), { n: 2 });
});
