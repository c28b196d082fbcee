import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { Deadline } from "./deadline";

test("a deadline ends its current target when it expires, and a target handed over after that at once", async () => {
  const ended: string[] = [];
  const deadline = new Deadline(20);
  deadline.ends({ expire: () => ended.push("first attempt") });
  deadline.ends({ expire: () => ended.push("second attempt") });
  assert.ok(deadline.remaining() > 0);
  await sleep(40);
  assert.deepEqual(ended, ["second attempt"]);
  assert.equal(deadline.remaining(), 0);
  deadline.ends({ expire: () => ended.push("relay") });
  assert.deepEqual(ended, ["second attempt", "relay"]);
});

test("a cleared deadline ends nothing; without a timeout there is none", async () => {
  const ended: string[] = [];
  const cleared = new Deadline(10);
  cleared.ends({ expire: () => ended.push("cleared") });
  cleared.clear();
  const none = new Deadline(0);
  none.ends({ expire: () => ended.push("none") });
  await sleep(30);
  assert.deepEqual(ended, []);
  assert.equal(none.remaining(), Infinity);
});
