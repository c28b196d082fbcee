import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocuments } from "../src/documents";
import { policyTypeNames } from "../src/registry";
import { parseResource } from "../src/validation/parse-resource";

const dir = join(import.meta.dirname, "fixtures", "kuma-docs");
const files = readdirSync(dir).filter((file) => file.endsWith(".yaml"));

test("every fixture written from Kuma's documented examples parses unchanged", () => {
  const types = new Set<string>();
  for (const file of files) {
    const parsed = parseDocuments(readFileSync(join(dir, file), "utf8"));
    assert.ok(parsed.ok, `${file}: ${JSON.stringify(!parsed.ok && parsed.errors)}`);
    assert.ok(parsed.documents.length > 0, `${file} has no document`);
    parsed.documents.forEach((document, index) => {
      const result = parseResource(document);
      assert.ok(result.ok, `${file} document ${index}: ${JSON.stringify(!result.ok && result.errors)}`);
      types.add(result.resource.type);
    });
  }
  for (const type of [...policyTypeNames, "Mesh", "Dataplane"]) assert.ok(types.has(type), `no fixture for ${type}`);
});

test("fixture bodies keep every field of the document", () => {
  const parsed = parseDocuments(readFileSync(join(dir, "mesh-builtin-mtls.yaml"), "utf8"));
  assert.ok(parsed.ok);
  const result = parseResource(parsed.documents[0]);
  assert.ok(result.ok);
  assert.deepEqual(result.resource, {
    type: "Mesh",
    mesh: "",
    name: "default",
    labels: {},
    body: {
      mtls: {
        enabledBackend: "ca-1",
        backends: [
          { name: "ca-1", type: "builtin", dpCert: { rotation: { expiration: "1d" } }, conf: { caCert: { RSAbits: 2048, expiration: "10y" } } },
        ],
      },
    },
  });
});
