import assert from "node:assert/strict";
import { test } from "node:test";
import type { RetryPolicy } from "@zonemesh/xds";
import { rawHeaderLookup } from "./headers";
import { compileRetryPolicy, type CompiledRetryPolicy } from "./retry-policy";

const compiled = (policy: RetryPolicy) => compileRetryPolicy(policy) as CompiledRetryPolicy;
const headers = (...flat: string[]) => rawHeaderLookup(flat);

test("x-envoy-ratelimited is retried under envoy-ratelimited only, whatever else matches the status", () => {
  const gateway = compiled({ retry_on: "5xx,gateway-error" });
  const ratelimited = compiled({ retry_on: "envoy-ratelimited" });
  assert.equal(gateway.retriable({ status: 503 }, headers("content-type", "text/plain")), true);
  assert.equal(gateway.retriable({ status: 503 }, headers("X-Envoy-RateLimited", "true")), false);
  assert.equal(ratelimited.retriable({ status: 429 }, headers("x-envoy-ratelimited", "true")), true);
  assert.equal(ratelimited.retriable({ status: 429 }, headers()), false);
});

test("retriable_headers apply under retriable-headers, on any status", () => {
  const matchers = { retriable_headers: [{ name: "x-try-again", present_match: true }] };
  assert.equal(compiled({ retry_on: "retriable-headers", ...matchers }).retriable({ status: 200 }, headers("X-Try-Again", "1")), true);
  assert.equal(compiled({ retry_on: "retriable-headers", ...matchers }).retriable({ status: 500 }, headers()), false);
  assert.equal(compiled({ retry_on: "connect-failure", ...matchers }).retriable({ status: 200 }, headers("x-try-again", "1")), false, "ignored without the condition, as Envoy does");
});

test("rate_limited_retry_back_off waits what the first usable reset header says, jittered over [interval, 3 x interval)", () => {
  const policy = compiled({
    retry_on: "retriable-status-codes",
    retriable_status_codes: [429],
    retry_back_off: { base_interval: { nanos: 10_000_000 } },
    rate_limited_retry_back_off: { reset_headers: [{ name: "Retry-After" }, { name: "x-ratelimit-reset", format: "UNIX_TIMESTAMP" }], max_interval: { seconds: 30 } },
  });
  for (let sample = 0; sample < 20; sample++) {
    const waited = policy.backOffMs(1, headers("retry-after", "2"));
    assert.ok(waited >= 2000 && waited < 6000, `waited ${waited} ms for retry-after: 2`);
  }
  const resetAt = String(Math.floor(Date.now() / 1000) + 10);
  const untilReset = policy.backOffMs(1, headers("x-ratelimit-reset", resetAt));
  assert.ok(untilReset >= 8000 && untilReset < 30_000, `waited ${untilReset} ms until ${resetAt}`);
  // Past max_interval, not a whole number, or a timestamp gone by: the next header, then the exponential back-off.
  assert.ok(policy.backOffMs(1, headers("retry-after", "31", "x-ratelimit-reset", resetAt)) >= 8000, "a retry-after past max_interval gives way to the next header");
  for (const unusable of [headers("retry-after", "31"), headers("retry-after", "1.5"), headers("x-ratelimit-reset", "1000"), headers(), undefined]) assert.ok(policy.backOffMs(1, unusable) < 10, "the exponential back-off");
});

test("an unknown reset header format or retry condition is refused", () => {
  assert.throws(() => compiled({ retry_on: "5xx", rate_limited_retry_back_off: { reset_headers: [{ name: "retry-after", format: "MINUTES" as "SECONDS" }] } }), /format "MINUTES" is not supported/);
  assert.throws(() => compiled({ retry_on: "5xx,sometimes" }), /retry_on condition "sometimes" is not supported/);
});
