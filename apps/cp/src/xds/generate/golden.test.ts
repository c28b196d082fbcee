import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateProxyResources } from "./generate";
import { caseFiles, loadCase, testdataDir } from "./test-cases";

// UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
const update = process.env.UPDATE_GOLDEN === "1";

for (const file of caseFiles()) {
  const goldenFile = file.replace(".input.yaml", ".golden.json");
  test(`generation of ${file} matches ${goldenFile}`, () => {
    const actual = `${JSON.stringify(generateProxyResources(loadCase(file)), null, 2)}\n`;
    const goldenPath = join(testdataDir, goldenFile);
    if (update) writeFileSync(goldenPath, actual);
    assert.ok(existsSync(goldenPath), `${goldenFile} is missing: run with UPDATE_GOLDEN=1 and review it`);
    assert.deepEqual(JSON.parse(actual), JSON.parse(readFileSync(goldenPath, "utf8")));
  });
}
