import assert from "node:assert/strict";
import { it } from "node:test";
import { SerialQueue } from "./serial-queue";

it("runs queued tasks one at a time in order, past a failing one", async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  const task = (name: string, fail = false) => async () => {
    log.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`end ${name}`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([queue.run(task("a")), queue.run(task("b", true)), queue.run(task("c"))]);
  assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
});
