import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDuration } from "./duration";

test("parseDuration reads Go-style durations", () => {
  assert.equal(parseDuration("24h"), 86400);
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("90s"), 90);
});

test("parseDuration rejects empty, zero, negative and unknown units", () => {
  for (const bad of ["", "0s", "-1h", "10", "1d", "h", "1.5h"]) assert.equal(parseDuration(bad), null, bad);
});
