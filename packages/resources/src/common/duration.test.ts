import { test } from "node:test";
import assert from "node:assert/strict";
import { durationSchema, durationToMillis, longDurationSchema } from "./duration";

test("durations follow Go's syntax and convert to milliseconds", () => {
  for (const [text, ms] of [["0", 0], ["10s", 10_000], ["500ms", 500], ["1m30s", 90_000], ["1.5h", 5_400_000], ["250us", 0.25]] as const) {
    assert.ok(durationSchema.safeParse(text).success, text);
    assert.equal(durationToMillis(text), ms);
  }
  for (const text of ["10", "1d", "s", "-1s", "1 s", "1S", ""]) assert.equal(durationSchema.safeParse(text).success, false, text);
});

test("long durations add days and years for certificate lifetimes", () => {
  assert.ok(longDurationSchema.safeParse("10y").success);
  assert.equal(durationToMillis("1d12h"), 36 * 3_600_000);
  assert.equal(longDurationSchema.safeParse("1w").success, false);
});
