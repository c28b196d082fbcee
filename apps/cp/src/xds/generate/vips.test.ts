import { test } from "node:test";
import assert from "node:assert/strict";
import { allocateVips } from "./vips";

test("allocateVips assigns the lowest free addresses of the default range in service-name order", () => {
  const vips = allocateVips(["web", "backend", "db"]);
  assert.deepEqual([...vips], [
    ["backend", "240.0.0.1"],
    ["db", "240.0.0.2"],
    ["web", "240.0.0.3"],
  ]);
});

test("allocateVips keeps existing assignments and fills gaps for new services", () => {
  const existing = new Map([["web", "240.0.0.1"], ["db", "240.0.0.3"], ["gone", "240.0.0.2"]]);
  const vips = allocateVips(["web", "db", "api", "cache"], "240.0.0.0/4", existing);
  assert.deepEqual(Object.fromEntries(vips), { web: "240.0.0.1", db: "240.0.0.3", api: "240.0.0.2", cache: "240.0.0.4" });
});

test("allocateVips reassigns a VIP that lies outside the configured range", () => {
  const vips = allocateVips(["web"], "10.10.0.0/24", new Map([["web", "240.0.0.7"]]));
  assert.equal(vips.get("web"), "10.10.0.1");
});

test("allocateVips gives the same result whatever the input order", () => {
  assert.deepEqual(allocateVips(["c", "a", "b"]), allocateVips(["b", "c", "a"]));
});

test("allocateVips refuses when the range is exhausted", () => {
  assert.throws(() => allocateVips(["a", "b", "c"], "10.0.0.0/30"), /exhausted/);
});
