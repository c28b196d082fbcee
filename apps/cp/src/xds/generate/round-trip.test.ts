import { test } from "node:test";
import assert from "node:assert/strict";
import { SnapshotCache, packAny, typeUrls, unpackAny } from "@zonemesh/xds";
import { generateProxyResources } from "./generate";
import type { ProxyResources } from "./input";
import { caseFiles, loadCase } from "./test-cases";

const resourceTypes: [keyof Omit<ProxyResources, "warnings">, string][] = [
  ["listeners", typeUrls.listener],
  ["clusters", typeUrls.cluster],
  ["endpoints", typeUrls.endpoint],
  ["routes", typeUrls.route],
  ["secrets", typeUrls.secret],
];

for (const file of caseFiles()) {
  test(`every resource generated for ${file} survives Envoy's protobuf encoding unchanged`, () => {
    const resources = generateProxyResources(loadCase(file));
    let checked = 0;
    for (const [key, typeUrl] of resourceTypes) {
      for (const resource of resources[key]) {
        const decoded = unpackAny(packAny(typeUrl, resource));
        assert.deepEqual(decoded, resource, `${key} ${JSON.stringify("name" in resource ? resource.name : resource.cluster_name)}`);
        checked++;
      }
    }
    assert.ok(checked > 0);
  });
}

for (const file of caseFiles()) {
  test(`the resources generated for ${file} form a consistent snapshot (every EDS cluster and RDS name resolves)`, () => {
    const cache = new SnapshotCache();
    assert.doesNotThrow(() => cache.setSnapshot("proxy", generateProxyResources(loadCase(file))));
    assert.ok(cache.getSnapshot("proxy"));
  });
}
