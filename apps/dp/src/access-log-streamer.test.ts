import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "@zonemesh/testing";
import { typeNames, typed, type AccessLog } from "@zonemesh/xds";
import { AccessLogStreamer } from "./access-log-streamer";
import { get, tcpLineCollector } from "./testing/backends";
import { EngineUnderTest } from "./testing/engine-under-test";
import { assignment, edsCluster, httpManager, listener, routeConfig } from "./testing/resources";
import { eventually } from "./testing/test-control-plane";

/** A file access logger as the CP writes it for a tcp backend: {address, message} JSON lines to the streamer's socket. */
function tcpBackendLog(path: string, address: string, message: object): AccessLog {
  return { name: "envoy.access_loggers.file", typed_config: typed(typeNames.fileAccessLog, { path, log_format: { json_format: { fields: { address: { stringValue: address }, message } } } }) };
}

describe("MeshAccessLog tcp backends: the engine's entries relayed to collectors by the access log streamer", { timeout: 20_000 }, () => {
  const engine = new EngineUnderTest();
  const logs: string[] = [];
  let streamer: AccessLogStreamer;
  before(async () => {
    streamer = await AccessLogStreamer.start(join(mkdtempSync(join(tmpdir(), "zonemesh-al-")), "dp.sock"), (line) => logs.push(line));
  });
  after(() => streamer.close());

  const routedWithLogs = async (accessLog: AccessLog[]) => {
    const app = await engine.httpBackend("app");
    await engine.applied({
      listeners: [listener("outbound:http", engine.port, [httpManager("app", [], { access_log: accessLog })])],
      clusters: [edsCluster("app")],
      endpoints: [assignment("app", [app.port])],
      routes: [routeConfig("app", [{ match: { prefix: "/" }, route: { cluster: "app" } }])],
    });
  };

  test("a plain message goes as it is, a JSON one as a JSON line, each to its collector", async () => {
    const [plain, json] = await Promise.all([tcpLineCollector(), tcpLineCollector()]);
    try {
      await routedWithLogs([
        tcpBackendLog(streamer.path, `127.0.0.1:${plain.port}`, { stringValue: "%RESPONSE_CODE% %REQ(:PATH)%\n" }),
        tcpBackendLog(streamer.path, `127.0.0.1:${json.port}`, { structValue: { fields: { status: { stringValue: "%RESPONSE_CODE%" }, mesh: { stringValue: "default" } } } }),
      ]);
      await get(engine.port, "/first");
      await get(engine.port, "/second");
      await eventually(() => assert.deepEqual(plain.lines, ["200 /first", "200 /second"]));
      await eventually(() => assert.deepEqual(json.lines.map((line) => JSON.parse(line)), [{ status: "200", mesh: "default" }, { status: "200", mesh: "default" }]));
    } finally {
      plain.close();
      json.close();
    }
  });

  test("entries for a collector that is down wait for it; a malformed entry is dropped with its reason and the rest flow", async () => {
    const port = await freePort();
    await routedWithLogs([tcpBackendLog(streamer.path, `127.0.0.1:${port}`, { stringValue: "%REQ(:PATH)%\n" })]);
    await get(engine.port, "/while-down");
    const garbage = net.connect({ path: streamer.path });
    garbage.end('{"address": "nowhere", "message": "x"}\nnot json\n');
    await eventually(() => assert.equal(logs.filter((line) => line.startsWith("access log entry dropped")).length, 2, logs.join("\n")));
    assert.match(logs.join("\n"), /address: must be host:port/);
    const late = await tcpLineCollector(port);
    try {
      await get(engine.port, "/after");
      await eventually(() => assert.deepEqual(late.lines, ["/while-down", "/after"]));
    } finally {
      late.close();
    }
  });
});
