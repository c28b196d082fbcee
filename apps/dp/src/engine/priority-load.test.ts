import assert from "node:assert/strict";
import { test } from "node:test";
import { choosePriority, type PriorityLevel } from "./priority-load";

/** How many of 1,000 evenly spread draws each priority gets. */
function shares(levels: PriorityLevel[], factor = 140): Record<number, number> {
  const counts: Record<number, number> = {};
  for (let index = 0; index < 1000; index++) {
    const priority = choosePriority(levels, factor, index / 1000);
    if (priority !== undefined) counts[priority] = (counts[priority] ?? 0) + 1;
  }
  return counts;
}

test("a priority keeps all its load while 1/1.4 of its hosts are available, then spills the rest to the next one", () => {
  assert.deepEqual(shares([{ priority: 0, available: 8, total: 10 }, { priority: 1, available: 5, total: 5 }]), { 0: 1000 });
  // 5 of 10 available: health 70 %, 30 % to priority 1.
  assert.deepEqual(shares([{ priority: 0, available: 5, total: 10 }, { priority: 1, available: 5, total: 5 }]), { 0: 700, 1: 300 });
  // Priority 1 at 2 of 10 (health 28 %) takes what it can; the healths add up to 98 %, so both are scaled up (71.4 %, 28.6 %).
  assert.deepEqual(shares([{ priority: 0, available: 5, total: 10 }, { priority: 1, available: 2, total: 10 }, { priority: 2, available: 0, total: 3 }]), { 0: 715, 1: 285 });
  // No health anywhere: the first priority, where panic mode applies.
  assert.equal(choosePriority([{ priority: 0, available: 0, total: 2 }, { priority: 1, available: 0, total: 1 }], 140, 0.5), 0);
});

test("the overprovisioning factor sets the threshold: 200 keeps a priority whole down to half its hosts", () => {
  assert.deepEqual(shares([{ priority: 0, available: 5, total: 10 }, { priority: 1, available: 1, total: 1 }], 200), { 0: 1000 });
  assert.deepEqual(shares([{ priority: 0, available: 4, total: 10 }, { priority: 1, available: 1, total: 1 }], 200), { 0: 800, 1: 200 });
});
