import assert from "node:assert/strict";
import { it } from "node:test";
import { RecentChanges } from "./recent-changes";

it("tells a change heard again within the window from a new one, and forgets those older than the window", () => {
  const recent = new RecentChanges(10_000);
  assert.equal(recent.latestAt(), undefined);
  assert.equal(recent.add(1, 1_000), true);
  assert.equal(recent.add(2, 5_000), true);
  assert.equal(recent.add(1, 1_000), false);
  assert.equal(recent.latestAt(), 5_000);
  // An older change committed late is still new, and the latest time does not go back.
  assert.equal(recent.add(3, 4_000), true);
  assert.equal(recent.latestAt(), 5_000);
  recent.advance(12_000);
  assert.equal(recent.add(1, 1_000), true, "id 1 is older than the window before the latest time: forgotten");
  assert.equal(recent.add(2, 5_000), false);
});
