import assert from "node:assert/strict";
import { test } from "node:test";
import { zonePriorities } from "./zone-priorities";

const prioritiesIn = (zones: string[], locality: Parameters<typeof zonePriorities>[1]) => {
  const priorities = zonePriorities("east", locality, {});
  return Object.fromEntries(zones.map((zone) => [zone, priorities.priorityOf(zone)]));
};

test("without failover rules the local zone comes first, then every other zone; disabled, all alike", () => {
  assert.deepEqual(prioritiesIn(["east", "west", "north"], undefined), { east: 0, west: 1, north: 1 });
  assert.deepEqual(prioritiesIn(["east", "west"], { disabled: true }), { east: 0, west: 0 });
});

test("failover rules in order, for the local zone only; a None rule ends the list, and zones no rule takes are left out", () => {
  const failover = [{ from: { zones: ["west"] }, to: { type: "Any" as const } }, { to: { type: "Only" as const, zones: ["north"] } }, { to: { type: "None" as const } }, { to: { type: "Any" as const } }];
  assert.deepEqual(prioritiesIn(["east", "west", "north", "south"], { crossZone: { failover } }), { east: 0, west: undefined, north: 1, south: undefined });
  // crossZone takes precedence over disabled, as Kuma documents.
  assert.deepEqual(prioritiesIn(["east", "west"], { disabled: true, crossZone: { failover: [{ to: { type: "None" } }] } }), { east: 0, west: undefined });
});

test("localZone affinity: the tags the caller has, weighted as given or ten times the next one's by default", () => {
  const affinityTags = [{ key: "k8s.io/node" }, { key: "k8s.io/rack" }, { key: "k8s.io/az" }];
  assert.deepEqual(zonePriorities("east", { localZone: { affinityTags } }, { "k8s.io/node": "a", "k8s.io/az": "z1" }).affinity, {
    localZone: "east",
    groups: [
      { key: "k8s.io/node", value: "a", weight: 900 },
      { key: "k8s.io/az", value: "z1", weight: 9 },
    ],
  });
  assert.equal(zonePriorities("east", { localZone: { affinityTags } }, {}).affinity, undefined);
  const weighted = zonePriorities("east", { localZone: { affinityTags: [{ key: "k8s.io/node", weight: 9000 }] } }, { "k8s.io/node": "a" });
  assert.deepEqual(weighted.affinity?.groups, [{ key: "k8s.io/node", value: "a", weight: 9000 }]);
  assert.notEqual(weighted.key, zonePriorities("east", { localZone: { affinityTags: [{ key: "k8s.io/node", weight: 9000 }] } }, { "k8s.io/node": "b" }).key);
});
