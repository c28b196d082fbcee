import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import tls from "node:tls";
import { inspectClientHello, maxClientHelloBytes } from "./tls-client-hello";

/** The first bytes a real Node TLS client sends: its ClientHello record. */
async function realClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const received = new Promise<Buffer>((resolve) => server.once("connection", (socket) => socket.once("data", (chunk: Buffer) => resolve(chunk))));
    const client = tls.connect({ host: "127.0.0.1", port: (server.address() as net.AddressInfo).port, rejectUnauthorized: false, ...options });
    client.on("error", () => {});
    const hello = await received;
    client.destroy();
    return hello;
  } finally {
    server.close();
  }
}

/** The same handshake bytes re-framed into two TLS records, as a client may split a long ClientHello. */
function splitIntoTwoRecords(record: Buffer, at: number): Buffer {
  const handshake = record.subarray(5);
  const frame = (fragment: Buffer) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, fragment.length >> 8, fragment.length & 0xff]), fragment]);
  return Buffer.concat([frame(handshake.subarray(0, at)), frame(handshake.subarray(at))]);
}

test("reads the SNI and ALPN of a real ClientHello, and asks for more bytes until the whole record is in", async () => {
  const hello = await realClientHello({ servername: "backend{mesh=default}", ALPNProtocols: ["kuma", "h2"] });
  assert.deepEqual(inspectClientHello(hello), { kind: "tls", serverName: "backend{mesh=default}", applicationProtocols: ["kuma", "h2"] });
  for (const length of [0, 1, 4, 5, 40, hello.length - 1]) assert.deepEqual(inspectClientHello(hello.subarray(0, length)), { kind: "incomplete" }, `${length} bytes`);
});

test("a ClientHello split over two TLS records is reassembled; one without SNI has no server name", async () => {
  const hello = await realClientHello({ servername: "web.example.com" });
  const split = splitIntoTwoRecords(hello, 3);
  assert.deepEqual(inspectClientHello(split), { kind: "tls", serverName: "web.example.com", applicationProtocols: [] });
  assert.deepEqual(inspectClientHello(split.subarray(0, split.length - 1)), { kind: "incomplete" });
  // Node sends no SNI for an IP address.
  assert.deepEqual(inspectClientHello(await realClientHello({})), { kind: "tls", serverName: undefined, applicationProtocols: [] });
});

test("plain text, other TLS records and malformed or oversized ClientHellos are told apart", async () => {
  assert.deepEqual(inspectClientHello(Buffer.from("GET / HTTP/1.1\r\n")), { kind: "not-tls" });
  // An alert record, then a handshake record holding a ServerHello (type 2).
  assert.deepEqual(inspectClientHello(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])), { kind: "not-tls" });
  assert.deepEqual(inspectClientHello(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00])), { kind: "not-tls" });
  // A ClientHello whose declared length runs past its own extensions.
  const hello = await realClientHello({ servername: "x" });
  const truncated = Buffer.from(hello);
  truncated.writeUInt16BE(truncated.readUInt16BE(3) - 10, 3);
  truncated.writeUIntBE(truncated.readUIntBE(6, 3) - 10, 6, 3);
  assert.deepEqual(inspectClientHello(truncated.subarray(0, truncated.length - 10)), { kind: "not-tls" });
  const huge = maxClientHelloBytes + 1;
  assert.deepEqual(inspectClientHello(Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, huge >> 16, (huge >> 8) & 0xff, huge & 0xff])), { kind: "too-large" });
});
