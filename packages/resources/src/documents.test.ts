import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDocuments } from "./documents";

test("YAML with several documents yields each non-empty document", () => {
  const result = parseDocuments("---\ntype: Zone\nname: a\n---\n# only a comment\n---\ntype: Zone\nname: b\n");
  assert.deepEqual(result, { ok: true, documents: [{ type: "Zone", name: "a" }, { type: "Zone", name: "b" }] });
});

test("JSON is accepted as a document", () => {
  assert.deepEqual(parseDocuments('{"type": "Zone", "name": "a", "enabled": false}'), {
    ok: true,
    documents: [{ type: "Zone", name: "a", enabled: false }],
  });
});

test("syntax errors name the document and carry line and column", () => {
  const result = parseDocuments("type: Zone\n---\ntype: Mesh\nname: [a\n");
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.errors[0]?.field, "documents[1]");
  assert.match(result.errors[0]?.reason ?? "", /^line \d+, column \d+: /);

  const json = parseDocuments('{"type": "Zone",, "name": "a"}');
  assert.ok(!json.ok);
  assert.match(json.errors[0]?.reason ?? "", /^line 1, column 17: /);
});
