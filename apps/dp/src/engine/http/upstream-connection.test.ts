import assert from "node:assert/strict";
import { test } from "node:test";
import { requestHeadFor, requestHeadLines } from "./upstream-connection";

test("a request head is written in wire form, and a path, header name or value that could split it is refused", () => {
  const lines = requestHeadLines("GET", "/a?b=c", { host: "backend", "x-list": ["1", "2"], "content-length": "9" });
  assert.equal(requestHeadFor(lines, true, "127.0.0.1:80", 0), "GET /a?b=c HTTP/1.1\r\nhost: backend\r\nx-list: 1\r\nx-list: 2\r\ncontent-length: 0\r\n\r\n");
  assert.throws(() => requestHeadLines("GET", "/a b", {}), /the request path has a character not allowed on the request line/);
  assert.throws(() => requestHeadLines("GET", "/", { "bad name": "x" }), /header name "bad name" is not a valid HTTP token/);
  assert.throws(() => requestHeadLines("GET", "/", { "x-split": ["ok", "a\r\nevil: 1"] }), /header x-split has a control character/);
});
