import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SnapshotCache, packAny, typeUrls, unpackAny } from "@zonemesh/xds";
import { testdataDir } from "../test-cases";
import { generateIngressResources } from "./generate-ingress";
import { ingressCaseFiles, loadIngressCase } from "./test-cases";

// UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
const update = process.env.UPDATE_GOLDEN === "1";

for (const file of ingressCaseFiles()) {
  const goldenFile = file.replace(".ingress.yaml", ".ingress.golden.json");
  test(`zone ingress generation of ${file} matches ${goldenFile}`, () => {
    const actual = `${JSON.stringify(generateIngressResources(loadIngressCase(file)), null, 2)}\n`;
    const goldenPath = join(testdataDir, goldenFile);
    if (update) writeFileSync(goldenPath, actual);
    assert.ok(existsSync(goldenPath), `${goldenFile} is missing: run with UPDATE_GOLDEN=1 and review it`);
    assert.deepEqual(JSON.parse(actual), JSON.parse(readFileSync(goldenPath, "utf8")));
  });

  test(`the zone ingress resources of ${file} survive Envoy's protobuf encoding unchanged and form a consistent snapshot`, () => {
    const resources = generateIngressResources(loadIngressCase(file));
    const typed = [
      ...resources.listeners.map((listener) => [typeUrls.listener, listener.name, listener] as const),
      ...resources.clusters.map((cluster) => [typeUrls.cluster, cluster.name, cluster] as const),
      ...resources.endpoints.map((assignment) => [typeUrls.endpoint, assignment.cluster_name, assignment] as const),
    ];
    assert.ok(resources.listeners.length > 0 && resources.endpoints.length > 0);
    for (const [typeUrl, name, resource] of typed) assert.deepEqual(unpackAny(packAny(typeUrl, resource)), resource, name);
    assert.doesNotThrow(() => new SnapshotCache().setSnapshot("ingress", resources));
  });
}
