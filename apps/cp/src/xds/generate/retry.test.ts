import assert from "node:assert/strict";
import { test } from "node:test";
import { retryPolicy } from "./retry";

const noWarnings = () => assert.fail("no warning expected");

test("MeshRetry grpc without retryOn retries Kuma's default conditions; with retryOn, the ones named", () => {
  assert.equal(retryPolicy({ conf: { grpc: { numRetries: 2 } }, origins: [] }, "grpc", noWarnings)?.retry_on, "cancelled,connect-failure,gateway-error,refused-stream,reset,resource-exhausted,unavailable");
  assert.equal(retryPolicy({ conf: { grpc: { retryOn: ["Unavailable", "DeadlineExceeded"] } }, origins: [] }, "grpc", noWarnings)?.retry_on, "unavailable,deadline-exceeded");
});
