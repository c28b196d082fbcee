import { test } from "node:test";
import assert from "node:assert/strict";
import { buildRules, computeRule, type PolicyItem } from "./subset-rules";
import type { TargetRef } from "../policies/target-ref";

const item = (targetRef: TargetRef, conf: object, name = "p"): PolicyItem => ({
  targetRef,
  conf,
  origin: { type: "MeshTimeout", mesh: "default", name },
});

test("a peer matched by several overlapping subsets gets all their confs merged in item order", () => {
  const rules = buildRules([
    item({ kind: "Mesh" }, { idleTimeout: "1h" }, "a"),
    item({ kind: "MeshSubset", tags: { version: "v2" } }, { connectionTimeout: "1s" }, "b"),
    item({ kind: "MeshService", name: "backend" }, { connectionTimeout: "5s", http: { requestTimeout: "3s" } }, "c"),
  ]);
  const conf = (peer: Record<string, string>) => computeRule(rules, peer)?.conf;
  assert.deepEqual(conf({ "kuma.io/service": "backend", version: "v2" }), { idleTimeout: "1h", connectionTimeout: "5s", http: { requestTimeout: "3s" } });
  assert.deepEqual(conf({ "kuma.io/service": "backend", version: "v1" }), { idleTimeout: "1h", connectionTimeout: "5s", http: { requestTimeout: "3s" } });
  assert.deepEqual(conf({ "kuma.io/service": "web", version: "v2" }), { idleTimeout: "1h", connectionTimeout: "1s" });
  assert.deepEqual(conf({ "kuma.io/service": "web" }), { idleTimeout: "1h" });
  assert.deepEqual(computeRule(rules, { "kuma.io/service": "backend", version: "v2" })?.origin.map((o) => o.name), ["a", "b", "c"]);
});

test("the order of items decides which conf wins for the same subset", () => {
  const rules = buildRules([
    item({ kind: "MeshSubset", tags: { version: "v2" } }, { action: "Deny" }),
    item({ kind: "MeshSubset", tags: { zone: "east" } }, { action: "Allow" }),
  ]);
  assert.deepEqual(computeRule(rules, { version: "v2", zone: "east" })?.conf, { action: "Allow" });
  assert.equal(computeRule(rules, { zone: "west" }), undefined);
});

test("thousands of destinations are computed without quadratic blow-up", () => {
  const services = Array.from({ length: 3000 }, (_, i) => `service-${i}`);
  const started = performance.now();
  const rules = buildRules([
    item({ kind: "Mesh" }, { idleTimeout: "1h" }),
    ...services.map((name, i) => item({ kind: "MeshService", name }, { connectionTimeout: `${i}s` })),
  ]);
  const elapsed = performance.now() - started;
  assert.equal(rules.length, services.length + 1);
  assert.deepEqual(computeRule(rules, { "kuma.io/service": "service-1234" })?.conf, { idleTimeout: "1h", connectionTimeout: "1234s" });
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
});
