import assert from "node:assert/strict";
import { test } from "node:test";
import type { FilterChainMatch } from "@zonemesh/xds";
import { compileFilterChainMatch } from "./filter-chain-match";
import type { ConnectionProperties } from "./tls-inspector";

const tlsTo = (serverName: string | undefined, applicationProtocols: string[] = []): ConnectionProperties => ({ serverName, transportProtocol: "tls", applicationProtocols });
const plain: ConnectionProperties = { serverName: undefined, transportProtocol: "raw_buffer", applicationProtocols: [] };

test("an exact server name beats the longest wildcard, which beats a chain without names", () => {
  const select = compileFilterChainMatch(
    [{ server_names: ["api.example.com", "Backend{mesh=default}"] }, { server_names: ["*.example.com"] }, { server_names: ["*.eu.example.com"] }, undefined],
    "filter_chains",
  );
  assert.equal(select(tlsTo("api.example.com")), 0);
  assert.equal(select(tlsTo("backend{mesh=default}")), 0);
  assert.equal(select(tlsTo("www.example.com")), 1);
  assert.equal(select(tlsTo("a.b.example.com")), 1);
  assert.equal(select(tlsTo("a.eu.example.com")), 2);
  assert.equal(select(tlsTo("example.com")), 3);
  assert.equal(select(tlsTo(undefined)), 3);
  assert.equal(select(plain), 3);
});

test("without a catch-all chain, an unknown or missing SNI matches nothing", () => {
  const select = compileFilterChainMatch([{ server_names: ["backend{mesh=default}"], transport_protocol: "tls" }, { server_names: ["web{mesh=default}"], transport_protocol: "tls" }], "filter_chains");
  assert.equal(select(tlsTo("web{mesh=default}")), 1);
  assert.equal(select(tlsTo("other{mesh=default}")), undefined);
  assert.equal(select(tlsTo(undefined)), undefined);
  assert.equal(select(plain), undefined);
});

test("transport protocol, then application protocols, narrow the chains of the chosen name without falling back to other names", () => {
  const matches: FilterChainMatch[] = [
    { server_names: ["a.test"], transport_protocol: "tls", application_protocols: ["h2"] },
    { server_names: ["a.test"], transport_protocol: "tls" },
    { server_names: ["a.test"], transport_protocol: "raw_buffer" },
    { transport_protocol: "tls" },
  ];
  const select = compileFilterChainMatch(matches, "filter_chains");
  assert.equal(select(tlsTo("a.test", ["http/1.1", "h2"])), 0);
  assert.equal(select(tlsTo("a.test", ["http/1.1"])), 1);
  assert.equal(select(tlsTo("b.test")), 3);
  assert.equal(select(plain), undefined);
  // Only h2 chains for this name: an HTTP/1.1 client matches none, and does not fall back to the catch-all.
  const strict = compileFilterChainMatch([{ server_names: ["a.test"], application_protocols: ["h2"] }, {}], "filter_chains");
  assert.equal(strict(tlsTo("a.test", ["http/1.1"])), undefined);
});

test("duplicate matches, a bare or partial wildcard and unknown transport protocols are rejected with the field", () => {
  assert.throws(() => compileFilterChainMatch([{ server_names: ["a.test", "b.test"] }, { server_names: ["b.test"] }], "l: filter_chains"), /l: filter_chains\[1\]\.filter_chain_match: the same match as l: filter_chains\[0\] \(server name "b\.test"/);
  assert.throws(() => compileFilterChainMatch([undefined, {}], "filter_chains"), /filter_chains\[1\]\.filter_chain_match: the same match as filter_chains\[0\]/);
  assert.throws(() => compileFilterChainMatch([{ server_names: ["*"] }], "filter_chains"), /filter_chains\[0\]\.filter_chain_match\.server_names\[0\]: "\*" is not supported/);
  assert.throws(() => compileFilterChainMatch([{ server_names: ["*w.example.com"] }], "filter_chains"), /server_names\[0\]: "\*w\.example\.com" is not a server name/);
  assert.throws(() => compileFilterChainMatch([{ transport_protocol: "quic" }], "filter_chains"), /filter_chains\[0\]\.filter_chain_match\.transport_protocol: "quic" is not supported/);
});
