import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@zonemesh/store";
import { MeshVips } from "./mesh-vips";

const dataDir = await mkdtemp(join(tmpdir(), "zonemesh-vips-"));
after(() => rm(dataDir, { recursive: true, force: true }));

test("service VIPs survive a restart: a service added later, even one sorting first, does not move the others", async () => {
  const first = await openStore({ dataDir });
  const allocated = await new MeshVips(first).forServices("default", ["backend", "web"]);
  await first.close();

  const restarted = await openStore({ dataDir });
  const again = await new MeshVips(restarted).forServices("default", ["aaa-new", "backend", "web"]);
  assert.equal(again.get("backend"), allocated.get("backend"));
  assert.equal(again.get("web"), allocated.get("web"));
  assert.ok(again.get("aaa-new") && ![...allocated.values()].includes(again.get("aaa-new")!));
  const stored = (await restarted.get({ type: "Config", mesh: "", name: "kuma-default-dns-vips" }))?.spec as { config: string };
  assert.deepEqual(Object.keys(JSON.parse(stored.config)).sort(), ["aaa-new", "backend", "web"]);
  await restarted.close();
});
