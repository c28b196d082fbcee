import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Cluster, Listener, RouteConfiguration } from "@zonemesh/xds";
import { ClusterRuntime } from "../engine/cluster";
import { compileRouteTable } from "../engine/http/route-table";
import { compileListener } from "../engine/listener";
import type { Runtime } from "../engine/runtime";
import { Stats } from "../engine/stats";
import { unsupportedFields } from "./field-spec";
import { clusterFields, clusterLoadAssignmentFields, listenerFields, routeConfigurationFields, secretFields } from "./supported-fields";

// The control plane's golden outputs (apps/cp/src/xds/generate/testdata): what the built-in engine must accept.
const goldenDir = join(import.meta.dirname, "../../../cp/src/xds/generate/testdata");
const fieldsByKey = { listeners: listenerFields, clusters: clusterFields, endpoints: clusterLoadAssignmentFields, routes: routeConfigurationFields, secrets: secretFields } as const;

const readGolden = (file: string) => JSON.parse(readFileSync(join(goldenDir, file), "utf8")) as Record<string, object[] | undefined>;

function unsupportedIn(goldenFile: string): string[] {
  const golden = readGolden(goldenFile);
  const errors = new Set<string>();
  for (const [key, fields] of Object.entries(fieldsByKey)) for (const resource of golden[key] ?? []) for (const error of unsupportedFields(resource, fields)) errors.add(`${key}: ${error.replace(/\[\d+\]/g, "[]")}`);
  return [...errors].sort();
}

for (const file of ["http-route-split", "mtp-mtls", "mtp-spiffe-rules", "mtls-permissive", "mesh-tls", "mesh-metrics", "mesh-metric", "external-services", "cross-zone", "timeouts-retries", "http-and-tcp", "route-filters", "cluster-policies", "warnings", "grpc-service", "tcp-inbound", "zone-failover", "ingress-two-meshes.ingress"]) {
  test(`the CP's ${file} golden output uses only fields and values the engine supports`, () => {
    assert.deepEqual(unsupportedIn(`${file}.golden.json`), []);
    // Values too (enum names, retry conditions, regexes...): everything compiles without binding anything.
    const golden = readGolden(`${file}.golden.json`);
    const runtime: Runtime = { clusters: new Map(), endpoints: new Map(), routes: new Map(), secrets: new Map(), stats: new Stats() };
    for (const listener of (golden.listeners ?? []) as Listener[]) compileListener(listener, () => runtime);
    for (const route of (golden.routes ?? []) as RouteConfiguration[]) compileRouteTable(route);
    for (const cluster of (golden.clusters ?? []) as Cluster[]) new ClusterRuntime(cluster, () => runtime).close();
  });
}

test("an unknown field is reported with its path", () => {
  assert.deepEqual(unsupportedFields({ name: "l", filter_chains: [{ filter_chain_match: { server_names: ["a"], destination_port: { value: 80 } } }] }, listenerFields), [
    "filter_chains[0].filter_chain_match.destination_port is not supported",
  ]);
  assert.deepEqual(unsupportedFields({ name: "l", default_filter_chain: { filter_chain_match: {} } }, listenerFields), ["default_filter_chain.filter_chain_match is not supported"]);
});
