// Every policy example of Kuma's documentation (the fixtures of packages/resources) applied on the global at once:
// the zone CP turns them into config for real dps, and no dp refuses (NACKs) any of it. A NACK freezes a proxy's
// config, so a documented example that produced one would break a Kuma user's mesh.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { parseDocuments, parseResource, typeByName } from "@zonemesh/resources";
import { freePort } from "@zonemesh/testing";
import { nacks, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { dataplaneYaml } from "./harness/workloads";

const mesh = "default";
const fixtures = join(import.meta.dirname, "../../../packages/resources/test/fixtures/kuma-docs");

/** The documented policies, renamed `<file>-<n>` so that examples sharing a name do not replace each other. */
function documentedPolicies() {
  return readdirSync(fixtures)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) => {
      const parsed = parseDocuments(readFileSync(join(fixtures, file), "utf8"));
      if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
      return parsed.documents.flatMap((document, index) => {
        const result = parseResource(document);
        if (!result.ok) throw new Error(`${file} document ${index + 1}: ${JSON.stringify(result.errors)}`);
        const type = typeByName(result.resource.type);
        if (!type?.isPolicy) return [];
        const name = `${file.replace(/\.yaml$/, "")}-${index + 1}`;
        return [{ plural: type.plural, resource: { ...(document as Record<string, unknown>), mesh, name } }];
      });
    });
}

describe("Kuma's documented policy examples on real dps", { timeout: 600_000 }, () => {
  let cluster: ZoneCluster;
  let web: DataplaneProcess;

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"] });
    // The names the examples use: web and frontend call backend (v1, v2) and redis. Each `app` label is an inbound tag
    // too, as Kuma makes a pod's labels (MeshSubset examples select by tags, kind Dataplane ones by labels).
    const dp = async (name: string, labels: { app: string }, tags: Record<string, string>, outbound: string[] = []) =>
      cluster.startDataplane({
        zone: "east",
        yaml: dataplaneYaml({
          name,
          labels,
          inbound: { port: await freePort(), servicePort: await freePort(), tags: { ...tags, app: labels.app } },
          outbound: await Promise.all(outbound.map(async (service) => ({ port: await freePort(), service }))),
        }),
      });
    [web] = await Promise.all([
      dp("web", { app: "web" }, { "kuma.io/service": "web", "kuma.io/protocol": "http" }, ["backend", "redis"]),
      dp("frontend", { app: "frontend" }, { "kuma.io/service": "frontend", "kuma.io/protocol": "http" }, ["backend"]),
      dp("backend-v1", { app: "backend" }, { "kuma.io/service": "backend", "kuma.io/protocol": "http", version: "v1" }),
      dp("backend-v2", { app: "backend" }, { "kuma.io/service": "backend", "kuma.io/protocol": "http", version: "v2" }),
      dp("redis", { app: "redis" }, { "kuma.io/service": "redis", "kuma.io/protocol": "tcp" }),
    ]);
  });
  after(async () => {
    await cluster?.stop();
  });

  test("every documented policy is accepted by the global, and no dp NACKs the config the zone CP makes of them all", async () => {
    const policies = documentedPolicies();
    assert.ok(policies.length >= 40, `only ${policies.length} documented policies found`);
    for (const { plural, resource } of policies) await cluster.applyOnGlobal(plural, resource);
    // Applied last: once web's routes carry it, the zone CP has pushed what the examples make of every proxy.
    await cluster.applyOnGlobal("meshhttproutes", {
      type: "MeshHTTPRoute",
      mesh,
      name: "zz-marker",
      spec: {
        targetRef: { kind: "Dataplane", name: "web" },
        to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: [{ headers: [{ type: "Exact", name: "x-zz-marker", value: "1" }] }], default: {} }] }],
      },
    });
    await eventually(async () => {
      const refused = await nacks(cluster.dataplanes());
      assert.ok(refused.length > 0 || JSON.stringify(await web.configDump()).includes("x-zz-marker"), "web has not got the marker route yet");
    }, PROPAGATION_MS * 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
