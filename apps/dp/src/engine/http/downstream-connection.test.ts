import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DownstreamConnection, type DownstreamTimeouts, type RequestHandler } from "./downstream-connection";
import type { DownstreamRequest } from "./downstream-request";

const noTimeouts: DownstreamTimeouts = { idleMs: 0, streamIdleMs: 0, requestMs: 0, headersMs: 0 };

/** A real listener serving each accepted socket with a DownstreamConnection. */
async function serve(handler: RequestHandler, timeouts = noTimeouts): Promise<{ port: number; connections: DownstreamConnection[]; close(): Promise<void> }> {
  const connections: DownstreamConnection[] = [];
  const server = net.createServer((socket) => void connections.push(new DownstreamConnection(socket, handler, timeouts)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close: () => {
      for (const { socket } of connections) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition(); await sleep(10)) if (Date.now() - started > 5_000) throw new Error("timed out waiting");
}

/** A request's whole body, read as a sink takes it. */
function bodyOf(request: DownstreamRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.streamTo({ write: (chunk) => chunks.push(chunk) > 0, end: () => resolve(Buffer.concat(chunks)), abort: () => reject(new Error("the body will not arrive whole")) });
  });
}

/** Writes raw bytes, then reads until the server closes the connection (or `until` matches what arrived). */
async function exchange(port: number, bytes: string, until?: RegExp): Promise<{ text: string; closed: boolean }> {
  const socket = net.connect(port, "127.0.0.1");
  // A server that closes while the client still sends may reset: what arrived before counts.
  socket.on("error", () => {});
  await once(socket, "connect");
  socket.write(bytes, "latin1");
  let text = "";
  return new Promise((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (until?.test(text)) {
        socket.destroy();
        resolve({ text, closed: false });
      }
    });
    socket.on("close", () => resolve({ text, closed: true }));
  });
}

describe("downstream HTTP/1.1 connections on Node's llhttp parser", () => {
  const servers: { close(): Promise<void> }[] = [];
  const started = async (handler: RequestHandler, timeouts?: DownstreamTimeouts) => {
    const server = await serve(handler, timeouts);
    servers.push(server);
    return server;
  };
  after(() => Promise.all(servers.map((server) => server.close())));

  test("keep-alive serves requests one after another; pipelined ones are answered in order", async () => {
    const { port } = await started((request, response) => {
      const answer = () => response.writeHead(200, { "content-type": "text/plain" }).end(`path ${request.url}`);
      if (request.url === "/slow") setTimeout(answer, 50);
      else answer();
    });
    const { text, closed } = await exchange(port, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /fast HTTP/1.1\r\nHost: a\r\n\r\n", /path \/fast/);
    assert.equal(closed, false);
    const responses = text.split("HTTP/1.1 ").slice(1);
    assert.equal(responses.length, 2, text);
    assert.match(responses[0] as string, /^200 OK\r\ncontent-type: text\/plain\r\ncontent-length: 10\r\n\r\npath \/slow$/);
    assert.match(responses[1] as string, /^200 OK\r\ncontent-type: text\/plain\r\ncontent-length: 10\r\n\r\npath \/fast$/);
  });

  test("request bodies arrive whole (content-length or chunked); a response of unknown length is chunked to HTTP/1.1, close-delimited to HTTP/1.0", async () => {
    const { port } = await started((request, response) => {
      void bodyOf(request).then((body) => {
        response.writeHead(200, ["X-Method", request.method, "X-Version", request.httpVersion]);
        response.write(Buffer.from("got "));
        response.write(body);
        response.end();
      });
    });
    const chunked = await new Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const request = http.request({ port, method: "POST", path: "/", agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode, headers: { ...response.headers }, body }));
      });
      request.on("error", reject);
      request.write("hello ");
      setTimeout(() => request.end("world"), 20);
    });
    assert.deepEqual(chunked, { status: 200, headers: { "x-method": "POST", "x-version": "1.1", "transfer-encoding": "chunked", connection: "close" }, body: "got hello world" });

    const old = await exchange(port, "PUT / HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello");
    assert.deepEqual(old, { text: "HTTP/1.1 200 OK\r\nX-Method: PUT\r\nX-Version: 1.0\r\nconnection: close\r\n\r\ngot hello", closed: true });
  });

  test("HEAD, 204 and 304 carry no body; HTTP/1.0 keep-alive is kept; Connection: close closes after the response", async () => {
    const { port } = await started((request, response) => {
      if (request.url === "/no-content") response.writeHead(204).end("ignored");
      else if (request.url === "/not-modified") response.writeHead(304, { etag: '"v1"' }).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end("twelve bytes");
    });
    const head = await exchange(port, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /no-content HTTP/1.1\r\nHost: a\r\n\r\nGET /not-modified HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assert.deepEqual(head, {
      text: 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\netag: "v1"\r\nconnection: close\r\n\r\n',
      closed: true,
    });
    const keptOpen = await exchange(port, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", /twelve bytes$/);
    assert.deepEqual(keptOpen, { text: "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: keep-alive\r\n\r\ntwelve bytes", closed: false });
  });

  test("Expect: 100-continue is answered before the body is sent", async () => {
    const { port } = await started((request, response) => void bodyOf(request).then((body) => response.writeHead(201).end(body)));
    const answer = await new Promise<string>((resolve, reject) => {
      const request = http.request({ port, method: "POST", path: "/", agent: false, headers: { expect: "100-continue", "content-length": "4" } }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(`${response.statusCode} ${body}`));
      });
      request.on("error", reject);
      // Node's client sends the body only after the 100 Continue arrives.
      request.on("continue", () => request.end("data"));
    });
    assert.equal(answer, "201 data");
  });

  test("a malformed request is answered 400 and an oversized head 431, closing the connection; a response header with a line break is refused", async () => {
    const { port } = await started((_request, response) => {
      assert.throws(() => response.writeHead(200, { "x-split": "a\r\nset-cookie: evil" }), /response header x-split has a control character/);
      assert.throws(() => response.writeHead(200, { "bad name": "x" }), /response header name "bad name" is not a valid HTTP token/);
      response.writeHead(200).end("ok");
    });
    assert.deepEqual(await exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", /ok$/), { text: "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok", closed: false });
    assert.deepEqual(await exchange(port, "NOT HTTP AT ALL\r\n\r\n"), { text: "HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n", closed: true });
    const oversized = await exchange(port, `GET / HTTP/1.1\r\nHost: a\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`);
    assert.deepEqual(oversized, { text: "HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n", closed: true });
  });

  test("draining closes an idle connection at once and a busy one after its response, which says connection: close", async () => {
    let answer: (() => void) | undefined;
    const { port, connections } = await started((_request, response) => (answer = () => response.writeHead(200).end("done")));
    const idle = net.connect(port, "127.0.0.1");
    await once(idle, "connect");
    const busy = exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    while (connections.length < 2 || !answer) await new Promise((resolve) => setTimeout(resolve, 5));
    const idleClosed = once(idle, "close");
    for (const connection of connections) connection.drain();
    await idleClosed;
    answer();
    assert.deepEqual(await busy, { text: "HTTP/1.1 200 OK\r\ncontent-length: 4\r\nconnection: close\r\n\r\ndone", closed: true });
  });

  test("request_timeout answers 408 when the body is late; idle_timeout closes a connection without requests; a closed connection fails the body and closes the response", async () => {
    let outcome: Promise<string> | undefined;
    const { port } = await started(
      (request, response) => {
        const closed = new Promise<string>((resolve) => response.onClose(() => resolve("response closed")));
        outcome = bodyOf(request).then(
          () => "body arrived",
          async (error: Error) => `${error.message}; ${await closed}`,
        );
      },
      { idleMs: 300, streamIdleMs: 5_000, requestMs: 100, headersMs: 0 },
    );
    const late = await exchange(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf");
    assert.deepEqual(late, { text: "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\ncontent-length: 15\r\nconnection: close\r\n\r\nrequest timeout", closed: true });
    assert.equal(await outcome, "the body will not arrive whole; response closed");

    const idle = net.connect(port, "127.0.0.1");
    const opened = Date.now();
    await once(idle, "close");
    assert.ok(Date.now() - opened >= 250, `closed after ${Date.now() - opened} ms`);
  });

  test("request_headers_timeout answers 408 when a request's head is not whole in time from its first byte; a prompt head is served", async () => {
    const { port } = await started((request, response) => response.writeHead(200).end(`served ${request.url}`), { ...noTimeouts, headersMs: 150 });
    const sent = Date.now();
    const slow = await exchange(port, "GET /slow HTTP/1.1\r\nHost: a\r\n");
    assert.deepEqual(slow, { text: "HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: 22\r\n\r\nrequest header timeout", closed: true });
    assert.ok(Date.now() - sent >= 120, `answered after ${Date.now() - sent} ms`);
    const prompt = await exchange(port, "GET /prompt HTTP/1.1\r\nHost: a\r\n\r\n", /served/);
    assert.match(prompt.text, /^HTTP\/1.1 200 OK\r\n[\s\S]*served \/prompt$/);
  });

  test("a body past the buffer limit with no sink pauses reading; a sink gets it from its first byte, reading pausing while the sink is full", async () => {
    const limit = 16 * 1024;
    const size = 4 * 1024 * 1024;
    const sent = Buffer.alloc(size, 0).map((_, index) => index % 251);
    let arrived: DownstreamRequest | undefined;
    const { port, connections } = await started((request) => {
      request.limitBuffer(limit);
      arrived = request;
    });
    const client = net.connect(port, "127.0.0.1");
    client.on("error", () => {});
    client.write(`POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: ${size}\r\n\r\n`);
    client.write(sent);
    const socket = () => (connections[0] as DownstreamConnection).socket;
    await waitFor(() => (arrived?.bytes ?? 0) > limit && socket().isPaused());
    await sleep(100);
    const held = (arrived as DownstreamRequest).bytes;
    assert.ok(held <= limit + 64 * 1024, `${held} bytes held with nowhere to go`);

    // A sink that is full once it has had 1 MiB: reading pauses until it resumes the body.
    const request = arrived as DownstreamRequest;
    const chunks: Buffer[] = [];
    let taken = 0;
    let full = false;
    const body = new Promise<Buffer>((resolve) =>
      request.streamTo({
        write: (chunk) => {
          chunks.push(chunk);
          taken += chunk.length;
          if (taken >= 1024 * 1024 && !full) return !(full = true);
          return true;
        },
        end: () => resolve(Buffer.concat(chunks)),
        abort: () => {},
      }),
    );
    await waitFor(() => full);
    await sleep(100);
    assert.ok(socket().isPaused() && taken < 1024 * 1024 + 64 * 1024, `${taken} bytes taken by a full sink`);
    request.resume();
    assert.ok((await body).equals(sent));
    assert.equal(request.replayable, false, "past the limit, the body's start is let go");
    assert.equal(request.streamTo({ write: () => true, end: () => {}, abort: () => {} }), false);
    client.destroy();
  });

  test("a response sent before its request's body has arrived closes the connection after it, the rest of the body read into nothing", async () => {
    const { port } = await started((_request, response) => response.writeHead(403).end("denied"));
    const denied = await exchange(port, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\npart");
    assert.deepEqual(denied, { text: "HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\n\r\ndenied", closed: true });
  });

  test("an upgrade request is served as a plain request and the connection then closes", async () => {
    const { port } = await started((request, response) => response.writeHead(400).end(`no upgrade to ${request.headers.upgrade}`));
    const upgrade = await exchange(port, "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nbinary frames");
    assert.deepEqual(upgrade, { text: "HTTP/1.1 400 Bad Request\r\ncontent-length: 23\r\nconnection: close\r\n\r\nno upgrade to websocket", closed: true });
  });
});
