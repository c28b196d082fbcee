import assert from "node:assert/strict";
import { test } from "node:test";
import type { Cluster } from "@zonemesh/xds";
import { dnsCluster } from "../testing/resources";
import { eventually } from "../testing/test-control-plane";
import { DnsEndpoints, type Lookup } from "./dns-endpoints";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lookup answering what `answers` holds at call time (an Error fails it), recording its calls. */
function fakeLookup(answers: () => { address: string; family: number }[] | Error) {
  const calls: { hostname: string; family: number }[] = [];
  const lookup: Lookup = async (hostname, options) => {
    calls.push({ hostname, family: options.family });
    const current = answers();
    if (current instanceof Error) throw current;
    return current;
  };
  return { calls, lookup };
}

const v4 = (...addresses: string[]) => addresses.map((address) => ({ address, family: 4 }));
const v6 = (...addresses: string[]) => addresses.map((address) => ({ address, family: 6 }));

async function resolvedOnce(cluster: Cluster, lookup: Lookup): Promise<DnsEndpoints> {
  const endpoints = new DnsEndpoints(cluster, () => {}, lookup);
  endpoints.start();
  await endpoints.whenFirstResolved(1000);
  return endpoints;
}

const addressesOf = (endpoints: DnsEndpoints) => endpoints.assignment?.endpoints?.flatMap((locality) => (locality.lb_endpoints ?? []).map((lbEndpoint) => `${lbEndpoint.endpoint?.address?.socket_address?.address}:${lbEndpoint.endpoint?.address?.socket_address?.port_value}`));

test("re-resolves every dns_refresh_rate, keeps the last good addresses when a resolution fails, and stops when closed", async () => {
  let answers: ReturnType<typeof v4> | Error = v4("10.0.0.1", "10.0.0.2");
  const { calls, lookup } = fakeLookup(() => answers);
  let failures = 0;
  const lbEndpoint = { endpoint: { address: { socket_address: { address: "httpbin.org", port_value: 443 } } }, load_balancing_weight: { value: 3 }, metadata: { filter_metadata: { "envoy.lb": { fields: { zone: { stringValue: "eu" } } } } } };
  const cluster = dnsCluster("external", "httpbin.org", 443, { dns_refresh_rate: { nanos: 10_000_000 }, load_assignment: { cluster_name: "external", endpoints: [{ locality: { zone: "eu" }, priority: 1, lb_endpoints: [lbEndpoint] }] } });
  const endpoints = new DnsEndpoints(cluster, () => failures++, lookup);
  endpoints.start();
  try {
    assert.equal(addressesOf(endpoints), undefined);
    await endpoints.whenFirstResolved(1000);
    assert.deepEqual(addressesOf(endpoints), ["10.0.0.1:443", "10.0.0.2:443"]);
    const [locality] = endpoints.assignment?.endpoints ?? [];
    assert.deepEqual([locality?.locality, locality?.priority], [{ zone: "eu" }, 1]);
    for (const resolved of locality?.lb_endpoints ?? []) assert.deepEqual([resolved.load_balancing_weight, resolved.metadata], [lbEndpoint.load_balancing_weight, lbEndpoint.metadata]);

    answers = v4("10.0.0.3", "10.0.0.4");
    await eventually(() => assert.deepEqual(addressesOf(endpoints), ["10.0.0.3:443", "10.0.0.4:443"]));
    const unchanged = endpoints.assignment;
    answers = v4("10.0.0.4", "10.0.0.3");
    const before = calls.length;
    await eventually(() => assert.ok(calls.length >= before + 2, "not resolved again yet"));
    assert.equal(endpoints.assignment, unchanged, "the same answers in another order made a new assignment");

    answers = new Error("getaddrinfo ENOTFOUND httpbin.org");
    await eventually(() => assert.ok(failures >= 2, "no failed resolution counted yet"));
    assert.deepEqual(addressesOf(endpoints), ["10.0.0.3:443", "10.0.0.4:443"]);
  } finally {
    endpoints.close();
  }
  const closedAt = calls.length;
  await sleep(50);
  assert.equal(calls.length, closedAt, "resolutions went on after close");
});

test("dns_lookup_family: AUTO (the default) prefers IPv6, V4_PREFERRED IPv4, ALL keeps both, V4_ONLY and V6_ONLY ask for one family", async () => {
  const { calls, lookup } = fakeLookup(() => [...v4("10.0.0.1"), ...v6("fd00::1")]);
  const resolved = async (family: Cluster["dns_lookup_family"]) => {
    const endpoints = await resolvedOnce(dnsCluster("external", "httpbin.org", 80, { dns_lookup_family: family }), lookup);
    endpoints.close();
    return [addressesOf(endpoints), calls.at(-1)?.family];
  };
  assert.deepEqual(await resolved(undefined), [["fd00::1:80"], 0]);
  assert.deepEqual(await resolved("V4_PREFERRED"), [["10.0.0.1:80"], 0]);
  assert.deepEqual(await resolved("ALL"), [["10.0.0.1:80", "fd00::1:80"], 0]);
  assert.equal((await resolved("V4_ONLY"))[1], 4);
  assert.equal((await resolved("V6_ONLY"))[1], 6);
  const v4Only = fakeLookup(() => v4("10.0.0.1"));
  const endpoints = await resolvedOnce(dnsCluster("external", "httpbin.org", 80, { dns_lookup_family: "AUTO" }), v4Only.lookup);
  endpoints.close();
  assert.deepEqual(addressesOf(endpoints), ["10.0.0.1:80"], "AUTO falls back to IPv4");
});

test("LOGICAL_DNS uses the first address of its single endpoint; IP addresses are not looked up", async () => {
  const { calls, lookup } = fakeLookup(() => v4("10.0.0.1", "10.0.0.2"));
  const logical = await resolvedOnce(dnsCluster("external", "httpbin.org", 80, { type: "LOGICAL_DNS" }), lookup);
  logical.close();
  assert.deepEqual(addressesOf(logical), ["10.0.0.1:80"]);
  const byIp = await resolvedOnce(dnsCluster("external", "192.0.2.7", 80), lookup);
  byIp.close();
  assert.deepEqual([addressesOf(byIp), calls.length], [["192.0.2.7:80"], 1]);
  const twoEndpoints = dnsCluster("external", "httpbin.org", 80, { type: "LOGICAL_DNS" });
  twoEndpoints.load_assignment?.endpoints?.[0]?.lb_endpoints?.push({ endpoint: { address: { socket_address: { address: "example.org", port_value: 80 } } } });
  assert.throws(() => new DnsEndpoints(twoEndpoints, () => {}, lookup), /cluster external: a LOGICAL_DNS cluster needs exactly one locality with one lb_endpoint/);
});

test("a request's wait for the first resolution ends after its timeout if the resolution hangs", async () => {
  const endpoints = new DnsEndpoints(dnsCluster("external", "httpbin.org", 80), () => {}, () => new Promise(() => {}));
  endpoints.start();
  const started = Date.now();
  await endpoints.whenFirstResolved(50);
  assert.ok(Date.now() - started >= 45, "the wait ended before its timeout");
  assert.equal(endpoints.assignment, undefined);
  endpoints.close();
});
