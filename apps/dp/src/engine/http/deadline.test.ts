import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { Deadline } from "./deadline";

test("a deadline ends its current target when it expires, and a target handed over after that at once", async () => {
  const ended: string[] = [];
  const deadline = new Deadline(20);
  deadline.start();
  deadline.ends({ expire: () => ended.push("first attempt") });
  deadline.ends({ expire: () => ended.push("second attempt") });
  assert.ok(deadline.remaining() > 0);
  await sleep(40);
  assert.deepEqual(ended, ["second attempt"]);
  assert.equal(deadline.remaining(), 0);
  deadline.ends({ expire: () => ended.push("relay") });
  assert.deepEqual(ended, ["second attempt", "relay"]);
});

test("a deadline runs from its start; a cleared one ends nothing, even started after; without a timeout there is none", async () => {
  const ended: string[] = [];
  const unstarted = new Deadline(10);
  unstarted.ends({ expire: () => ended.push("unstarted") });
  const cleared = new Deadline(10);
  cleared.start();
  cleared.ends({ expire: () => ended.push("cleared") });
  cleared.clear();
  const clearedFirst = new Deadline(10);
  clearedFirst.ends({ expire: () => ended.push("cleared before its start") });
  clearedFirst.clear();
  clearedFirst.start();
  const none = new Deadline(0);
  none.start();
  none.ends({ expire: () => ended.push("none") });
  await sleep(30);
  assert.deepEqual(ended, []);
  assert.equal(unstarted.remaining(), Infinity);
  assert.equal(none.remaining(), Infinity);
  unstarted.start();
  await sleep(30);
  assert.deepEqual(ended, ["unstarted"]);
});
