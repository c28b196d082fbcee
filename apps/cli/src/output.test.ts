import { test } from "node:test";
import assert from "node:assert/strict";
import { targetRef } from "./output";
import type { WireResource } from "./responses";

test("the TARGETREF column names the kind and what it selects: name, tags or labels, section", () => {
  type Ref = NonNullable<NonNullable<WireResource["spec"]>["targetRef"]>;
  const column = (ref: Ref | undefined) => targetRef({ type: "MeshTimeout", name: "t", ...(ref ? { spec: { targetRef: ref } } : {}) });
  assert.equal(column(undefined), "-");
  assert.equal(column({ kind: "Mesh" }), "Mesh");
  assert.equal(column({ kind: "MeshService", name: "web" }), "MeshService/web");
  assert.equal(column({ kind: "MeshSubset", tags: { team: "a", version: "v2" } }), "MeshSubset{team=a,version=v2}");
  assert.equal(column({ kind: "Dataplane", labels: { app: "web" }, sectionName: "http-port" }), "Dataplane{app=web}:http-port");
  assert.equal(column({ kind: "Dataplane", name: "web-1" }), "Dataplane/web-1");
});
