import assert from "node:assert/strict";
import { test } from "node:test";
import { assignment } from "../testing/resources";
import { endpointsOf } from "./endpoints";
import { createPicker } from "./load-balancer";

/** Three endpoints with 5, 0 and 3 requests in flight. */
function busyEndpoints() {
  const endpoints = [...endpointsOf(assignment("lb", [1001, 1002, 1003]), new Map()).values()];
  endpoints.forEach((endpoint, index) => (endpoint.activeRequests = [5, 0, 3][index] as number));
  return endpoints;
}

test("LEAST_REQUEST draws choice_count hosts and takes the least busy: 2 by default (the busiest still wins when drawn twice), all of them with a large count", () => {
  const endpoints = busyEndpoints();
  const picked = (picker: ReturnType<typeof createPicker>) => Array.from({ length: 3000 }, () => picker(endpoints)?.port);
  const byDefault = picked(createPicker("LEAST_REQUEST", { name: "lb" }));
  assert.ok(byDefault.includes(1001), "with two choices the busiest host is picked when both draws are it");
  // The idle host wins when either of the two draws is it: 1 - (2/3)^2 = 5/9 of the picks, give or take 0.009 (one
  // standard deviation over 3,000), so the bounds are 6 deviations away (300 picks and "> half" failed 1 run in 40).
  const idleShare = byDefault.filter((port) => port === 1002).length / byDefault.length;
  assert.ok(idleShare > 0.5 && idleShare < 0.61, `the idle host takes 5/9 of the requests, took ${idleShare}`);
  const wide = picked(createPicker("LEAST_REQUEST", { name: "lb", least_request_lb_config: { choice_count: { value: 50 } } }));
  assert.deepEqual(new Set(wide), new Set([1002]));
});

test("MAGLEV with a table_size keeps equal hashes on one host", () => {
  const endpoints = busyEndpoints();
  const pick = createPicker("MAGLEV", { name: "lb", maglev_lb_config: { table_size: { value: 251 } } });
  const hashes = Array.from({ length: 40 }, (_, index) => index * 107_374_182); // spread over the 32-bit ring
  const first = hashes.map((hash) => pick(endpoints, hash)?.port);
  assert.deepEqual(hashes.map((hash) => pick(endpoints, hash)?.port), first);
  assert.ok(new Set(first).size >= 2, "the table spreads hashes over the hosts");
});
