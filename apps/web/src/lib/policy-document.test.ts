import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { policyTypeNames } from "@zonemesh/resources";
import { checkPolicyText, errorsAt, policyTemplate, readField, storedPolicyYaml, writeField } from "./policy-document";

describe("policy document", () => {
  it("a new MeshTrafficPermission template is only missing its name", () => {
    const check = checkPolicyText(policyTemplate("MeshTrafficPermission", "default"));
    assert.equal(check.ok, false);
    assert.deepEqual(check.errors.map((error) => error.field), ["name"]);
    const named = writeField(policyTemplate("MeshTrafficPermission", "default"), ["name"], "allow-all");
    assert.equal(checkPolicyText(named).ok, true);
  });

  it("the templates of every other policy type validate once named", () => {
    for (const type of policyTypeNames.filter((name) => name !== "MeshTrafficPermission")) {
      const check = checkPolicyText(writeField(policyTemplate(type, "default"), ["name"], "p"));
      assert.deepEqual(check.errors, [], type);
    }
  });

  it("reports a bad enum value at its field path, as the form shows it", () => {
    const text = writeField(writeField(policyTemplate("MeshTrafficPermission", "default"), ["name"], "p"), ["spec", "from", 0, "default", "action"], "Maybe");
    const check = checkPolicyText(text);
    assert.deepEqual(errorsAt(check.errors, "spec.from[0].default.action"), ['must be one of: "Allow", "Deny", "AllowWithShadowDeny"']);
  });

  it("reports YAML syntax errors with their line", () => {
    const check = checkPolicyText("type: MeshTrafficPermission\nname: [unclosed\n");
    assert.equal(check.ok, false);
    assert.match(check.errors[0]?.reason ?? "", /^line \d+, column \d+/);
  });

  it("writes a field without losing comments and removes a field set to empty", () => {
    const text = "# who may call the api\ntype: MeshTrafficPermission\nname: a\nmesh: default\nspec:\n  targetRef:\n    kind: MeshService\n    name: api\n";
    const edited = writeField(text, ["spec", "targetRef", "kind"], "Mesh");
    assert.match(edited, /^# who may call the api/);
    assert.equal(readField(edited, ["spec", "targetRef", "kind"]), "Mesh");
    assert.equal(readField(writeField(edited, ["spec", "targetRef", "name"], ""), ["spec", "targetRef", "name"]), undefined);
  });

  it("round-trips a stored policy through YAML", () => {
    const stored = { type: "MeshTimeout", mesh: "default", name: "t", labels: {}, body: { spec: { to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "5s" } }] } } };
    const check = checkPolicyText(storedPolicyYaml(stored));
    assert.ok(check.ok);
    assert.deepEqual(check.resource.body, stored.body);
  });
});
