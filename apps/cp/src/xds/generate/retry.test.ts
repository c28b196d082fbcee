import assert from "node:assert/strict";
import { test } from "node:test";
import { retryPolicy } from "./retry";

test("MeshRetry grpc without retryOn retries Kuma's default conditions; with retryOn, the ones named", () => {
  assert.equal(retryPolicy({ grpc: { numRetries: 2 } }, "grpc")?.retry_on, "cancelled,connect-failure,gateway-error,refused-stream,reset,resource-exhausted,unavailable");
  assert.equal(retryPolicy({ grpc: { retryOn: ["Unavailable", "DeadlineExceeded"] } }, "grpc")?.retry_on, "unavailable,deadline-exceeded");
});

test("MeshRetry http: status codes alone keep Kuma's default conditions beside retriable-status-codes; named conditions replace them", () => {
  const http = (retryOn: string[]) => retryPolicy({ http: { retryOn } }, "http");
  assert.deepEqual(
    [http(["503", "429"])?.retry_on, http(["503", "429"])?.retriable_status_codes],
    ["gateway-error,connect-failure,refused-stream,retriable-status-codes", [503, 429]],
  );
  assert.equal(http(["HttpMethodGet"])?.retry_on, "gateway-error,connect-failure,refused-stream");
  assert.equal(http(["5xx", "503"])?.retry_on, "5xx,retriable-status-codes");
});
