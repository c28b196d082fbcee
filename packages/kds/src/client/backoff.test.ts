import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff } from "./backoff";

test("delays double up to the cap, with jitter in the upper half, and start over after a reset", () => {
  const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000 });
  const ceilings = [100, 200, 400, 800, 1000, 1000];
  for (const ceiling of ceilings) {
    const delay = backoff.nextDelayMs();
    assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${delay} within [${ceiling / 2}, ${ceiling}]`);
  }
  backoff.reset();
  assert.ok(backoff.nextDelayMs() <= 100);
});
