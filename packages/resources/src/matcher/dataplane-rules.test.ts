import { test } from "node:test";
import assert from "node:assert/strict";
import { dataplane, policy } from "../../test/resources";
import { fromConfFor, inboundConfFor, rulesForDataplane, toConfFor, type PolicyTypeRules } from "./dataplane-rules";
import { ROUTE_MATCHES_TAG, routeMatchesHash } from "./route-matches";
import { dataplanesForPolicy } from "./select";

const web = dataplane("web-1", [
  { port: 8080, tags: { "kuma.io/service": "web", version: "v1" } },
  { port: 8081, tags: { "kuma.io/service": "web-metrics" } },
]);

function typeRules(rules: { rules: PolicyTypeRules[] }, type: string): PolicyTypeRules {
  const found = rules.rules.find((entry) => entry.type === type);
  assert.ok(found, `no rules for ${type}`);
  return found;
}

test("MeshTimeout to-confs merge from least to most specific policy, the first name winning among equals, per destination", () => {
  const policies = [
    policy("MeshTimeout", "b-defaults", {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "30m" } }],
    }),
    policy("MeshTimeout", "a-defaults", {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { connectionTimeout: "5s", idleTimeout: "1h", http: { requestTimeout: "15s" } } }],
    }),
    policy("MeshTimeout", "web-to-backend", {
      targetRef: { kind: "MeshService", name: "web" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { requestTimeout: "3s", streamIdleTimeout: "10s" } } }],
    }),
    policy("MeshTimeout", "other-service", {
      targetRef: { kind: "MeshService", name: "payments" },
      to: [{ targetRef: { kind: "Mesh" }, default: { connectionTimeout: "1s" } }],
    }),
  ];
  const timeouts = typeRules(rulesForDataplane(web, policies), "MeshTimeout");

  assert.deepEqual(toConfFor(timeouts, "backend"), {
    connectionTimeout: "5s",
    idleTimeout: "1h",
    http: { requestTimeout: "3s", streamIdleTimeout: "10s" },
  });
  assert.deepEqual(toConfFor(timeouts, "redis"), { connectionTimeout: "5s", idleTimeout: "1h", http: { requestTimeout: "15s" } });
  assert.deepEqual(
    timeouts.toRules.map((rule) => ({ matchers: rule.matchers, origin: rule.origin.map((o) => o.name) })),
    [
      { matchers: [{ key: "kuma.io/service", value: "backend" }], origin: ["a-defaults", "b-defaults", "web-to-backend"] },
      { matchers: [], origin: ["a-defaults", "b-defaults"] },
    ],
  );
});

test("MeshTrafficPermission from-rules are computed per selected inbound and matched on source tags", () => {
  const policies = [
    policy("MeshTrafficPermission", "deny-all", {
      targetRef: { kind: "Mesh" },
      from: [{ targetRef: { kind: "Mesh" }, default: { action: "Deny" } }],
    }),
    policy("MeshTrafficPermission", "web-from-frontend", {
      targetRef: { kind: "MeshService", name: "web" },
      from: [
        { targetRef: { kind: "MeshService", name: "frontend" }, default: { action: "Allow" } },
        { targetRef: { kind: "MeshServiceSubset", name: "frontend", tags: { version: "canary" } }, default: { action: "AllowWithShadowDeny" } },
        { targetRef: { kind: "MeshSubset", tags: { env: "dev" } }, default: { action: "Deny" } },
      ],
    }),
  ];
  const permissions = typeRules(rulesForDataplane(web, policies), "MeshTrafficPermission");

  assert.deepEqual(permissions.fromRules.map((entry) => entry.inbound.port), [8080, 8081]);
  assert.deepEqual(fromConfFor(permissions, 8080, { "kuma.io/service": "frontend", version: "v1" }), { action: "Allow" });
  assert.deepEqual(fromConfFor(permissions, 8080, { "kuma.io/service": "frontend", version: "canary" }), { action: "AllowWithShadowDeny" });
  assert.deepEqual(fromConfFor(permissions, 8080, { "kuma.io/service": "frontend", env: "dev" }), { action: "Deny" });
  assert.deepEqual(fromConfFor(permissions, 8080, { "kuma.io/service": "admin" }), { action: "Deny" });
  assert.deepEqual(fromConfFor(permissions, 8081, { "kuma.io/service": "frontend" }), { action: "Deny" }, "web-metrics inbound is not selected by MeshService web");
  assert.equal(fromConfFor(permissions, 9999, { "kuma.io/service": "frontend" }), undefined);
});

test("arrays in a more specific conf replace the less specific ones instead of being appended", () => {
  const policies = [
    policy("MeshRetry", "mesh", {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: { kind: "Mesh" }, default: { http: { numRetries: 5, retryOn: ["5xx", "Reset"] } } }],
    }),
    policy("MeshRetry", "web", {
      targetRef: { kind: "MeshService", name: "web" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { retryOn: ["GatewayError"] } } }],
    }),
  ];
  const retries = typeRules(rulesForDataplane(web, policies), "MeshRetry");
  assert.deepEqual(toConfFor(retries, "backend"), { http: { numRetries: 5, retryOn: ["GatewayError"] } });
  assert.deepEqual(toConfFor(retries, "redis"), { http: { numRetries: 5, retryOn: ["5xx", "Reset"] } });
});

test("MeshHTTPRoute rules with equal matches merge, different matches are kept side by side", () => {
  const match = [{ path: { type: "PathPrefix", value: "/api" } }];
  const policies = [
    policy("MeshHTTPRoute", "a-split", {
      targetRef: { kind: "Mesh" },
      to: [
        {
          targetRef: { kind: "MeshService", name: "backend" },
          rules: [
            { matches: match, default: { backendRefs: [{ kind: "MeshServiceSubset", name: "backend", tags: { version: "v1" }, weight: 90 }] } },
            { matches: [{ method: "GET" }], default: { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-get", value: "1" }] } }] } },
          ],
        },
      ],
    }),
    policy("MeshHTTPRoute", "b-override", {
      targetRef: { kind: "MeshService", name: "web" },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches: match, default: { backendRefs: [{ kind: "MeshService", name: "backend-v2" }] } }] }],
    }),
  ];
  const routes = typeRules(rulesForDataplane(web, policies), "MeshHTTPRoute");
  assert.deepEqual(toConfFor(routes, "backend"), {
    rules: [
      { matches: match, default: { backendRefs: [{ kind: "MeshService", name: "backend-v2" }] } },
      { matches: [{ method: "GET" }], default: { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-get", value: "1" }] } }] } },
    ],
  });
  assert.equal(toConfFor(routes, "redis"), undefined, "no route applies to other services");
});

test("inbound rules[] merge per selected inbound", () => {
  const policies = [
    policy("MeshTimeout", "inbound-defaults", { targetRef: { kind: "Mesh" }, rules: [{ default: { idleTimeout: "20s", http: { requestTimeout: "2s" } } }] }),
    policy("MeshTimeout", "web-inbound", { targetRef: { kind: "MeshService", name: "web" }, rules: [{ default: { http: { requestTimeout: "9s" } } }] }),
  ];
  const timeouts = typeRules(rulesForDataplane(web, policies), "MeshTimeout");
  assert.deepEqual(inboundConfFor(timeouts, 8080), { idleTimeout: "20s", http: { requestTimeout: "9s" } });
  assert.deepEqual(inboundConfFor(timeouts, 8081), { idleTimeout: "20s", http: { requestTimeout: "2s" } });
  assert.deepEqual(
    timeouts.inboundRules.map((entry) => entry.origin.map((o) => o.name)),
    [["inbound-defaults", "web-inbound"], ["inbound-defaults"]],
  );
});

test("rulesForDataplane lists only policy types that select the dataplane and ignores other meshes", () => {
  const policies = [
    policy("MeshTimeout", "elsewhere", { targetRef: { kind: "MeshService", name: "backend" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] }),
    policy("MeshRetry", "other-mesh", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { tcp: { maxConnectAttempt: 2 } } }] }, "other"),
    policy("MeshCircuitBreaker", "cb", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { connectionLimits: { maxConnections: 10 } } }] }),
  ];
  const rules = rulesForDataplane(web, policies);
  assert.deepEqual(rules.rules.map((entry) => entry.type), ["MeshCircuitBreaker"]);
  assert.deepEqual(JSON.parse(JSON.stringify(rules)), rules, "the result is plain JSON");
});

test("a MeshTimeout targeting a MeshHTTPRoute selects what the route selects and applies to that route's requests only", () => {
  const matches = [{ path: { type: "PathPrefix", value: "/v2" } }];
  const frontend = dataplane("frontend-1", [{ port: 8080, tags: { "kuma.io/service": "frontend", app: "frontend" } }]);
  const policies = [
    policy("MeshHTTPRoute", "route-to-backend-v2", {
      targetRef: { kind: "MeshSubset", tags: { app: "frontend" } },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches, default: { backendRefs: [{ kind: "MeshServiceSubset", name: "backend", tags: { version: "v2" } }] } }] }],
    }),
    policy("MeshTimeout", "backend-v2", {
      targetRef: { kind: "MeshHTTPRoute", name: "route-to-backend-v2" },
      to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "5s" } } }],
    }),
    policy("MeshTimeout", "mesh-default", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "15s" }, idleTimeout: "1h" } }] }),
  ];
  assert.deepEqual(dataplanesForPolicy(policies[1]!, [web, frontend], policies).map((dp) => dp.name), ["frontend-1"]);

  const timeouts = typeRules(rulesForDataplane(frontend, policies), "MeshTimeout");
  assert.deepEqual(toConfFor(timeouts, { "kuma.io/service": "backend", [ROUTE_MATCHES_TAG]: routeMatchesHash(matches) }), {
    http: { requestTimeout: "5s" },
    idleTimeout: "1h",
  });
  assert.deepEqual(toConfFor(timeouts, "backend"), { http: { requestTimeout: "15s" }, idleTimeout: "1h" }, "other requests to backend keep the mesh default");
  assert.deepEqual(rulesForDataplane(web, policies).rules.map((entry) => entry.type), ["MeshTimeout"]);
  assert.deepEqual(toConfFor(typeRules(rulesForDataplane(web, policies), "MeshTimeout"), { "kuma.io/service": "backend", [ROUTE_MATCHES_TAG]: routeMatchesHash(matches) }), {
    http: { requestTimeout: "15s" },
    idleTimeout: "1h",
  });
});

test("a MeshTimeout or MeshRetry with a MeshHTTPRoute in to[] (Kuma 2.9+) applies to that route's requests, over the service's conf, only on the proxies the route selects", () => {
  const matches = [{ path: { type: "PathPrefix", value: "/slow" } }];
  const frontend = dataplane("frontend-1", [{ port: 8080, tags: { "kuma.io/service": "frontend" } }], {}, { app: "frontend" });
  const policies = [
    policy("MeshHTTPRoute", "slow-path", {
      targetRef: { kind: "Dataplane", labels: { app: "frontend" } },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, rules: [{ matches, default: {} }] }],
    }),
    policy("MeshTimeout", "slow-path-timeout", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "MeshHTTPRoute", name: "slow-path" }, default: { http: { requestTimeout: "30s" } } }] }),
    policy("MeshTimeout", "mesh-default", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "15s" } } }] }),
    // More specific top-level targetRef, but towards the service: the route's conf still wins for the route's requests.
    policy("MeshTimeout", "frontend-to-backend", {
      targetRef: { kind: "MeshSubset", tags: { "kuma.io/service": "frontend" } },
      to: [{ targetRef: { kind: "MeshService", name: "backend" }, default: { http: { requestTimeout: "1s" }, idleTimeout: "5m" } }],
    }),
    policy("MeshRetry", "slow-path-retry", { to: [{ targetRef: { kind: "MeshHTTPRoute", name: "slow-path" }, default: { http: { numRetries: 1 } } }] }),
  ];
  const onRoute = { "kuma.io/service": "backend", [ROUTE_MATCHES_TAG]: routeMatchesHash(matches) };
  const frontendRules = rulesForDataplane(frontend, policies);
  assert.deepEqual(toConfFor(typeRules(frontendRules, "MeshTimeout"), onRoute), { http: { requestTimeout: "30s" }, idleTimeout: "5m" });
  assert.deepEqual(toConfFor(typeRules(frontendRules, "MeshTimeout"), "backend"), { http: { requestTimeout: "1s" }, idleTimeout: "5m" });
  assert.deepEqual(toConfFor(typeRules(frontendRules, "MeshRetry"), onRoute), { http: { numRetries: 1 } });
  assert.equal(toConfFor(typeRules(frontendRules, "MeshRetry"), "backend"), undefined);

  // web is selected by both MeshTimeouts (kind Mesh) but not by the route: the route's conf must not leak to it.
  const webRules = rulesForDataplane(web, policies);
  assert.deepEqual(toConfFor(typeRules(webRules, "MeshTimeout"), onRoute), { http: { requestTimeout: "15s" } });
  assert.equal(toConfFor(typeRules(webRules, "MeshRetry"), onRoute), undefined);
});

test("a MeshService named by its kuma.io/display-name label (Kuma 2.9+) is the service of that name, in to[] and in a route's destination", () => {
  const byLabel = { kind: "MeshService", labels: { "kuma.io/display-name": "backend" } };
  const policies = [
    policy("MeshTimeout", "to-backend", { targetRef: { kind: "Mesh" }, to: [{ targetRef: byLabel, default: { idleTimeout: "7s" } }] }),
    policy("MeshHTTPRoute", "backend-route", {
      targetRef: { kind: "Mesh" },
      to: [{ targetRef: byLabel, rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], default: { backendRefs: [{ kind: "MeshService", labels: { "kuma.io/display-name": "backend-v2" } }] } }] }],
    }),
  ];
  const rules = rulesForDataplane(web, policies);
  assert.deepEqual(toConfFor(typeRules(rules, "MeshTimeout"), "backend"), { idleTimeout: "7s" });
  assert.equal(toConfFor(typeRules(rules, "MeshTimeout"), "redis"), undefined);
  assert.deepEqual((toConfFor(typeRules(rules, "MeshHTTPRoute"), "backend") as { rules: unknown[] }).rules.length, 1);
});

test("inbound rules with matches (MeshFaultInjection by SPIFFE ID) stay apart from the every-caller conf, in policy order", () => {
  const abort = { http: [{ abort: { httpStatus: 503, percentage: 100 } }] };
  const delay = { http: [{ delay: { value: "1s", percentage: 10 } }] };
  const policies = [
    policy("MeshFaultInjection", "by-identity", {
      targetRef: { kind: "Mesh" },
      rules: [{ matches: [{ spiffeID: { type: "Exact", value: "spiffe://default/canary" } }], default: abort }, { default: delay }],
    }),
  ];
  const faults = typeRules(rulesForDataplane(web, policies), "MeshFaultInjection");
  assert.deepEqual(inboundConfFor(faults, 8080), delay, "the rule without matches is for every caller");
  assert.deepEqual(faults.inboundMatchedRules.find((entry) => entry.inbound.port === 8080)?.rules, [
    { matches: [{ spiffeID: { type: "Exact", value: "spiffe://default/canary" } }], conf: abort, origin: [{ type: "MeshFaultInjection", mesh: "default", name: "by-identity" }] },
  ]);
});

test("replicas selected by the same policies share one rule computation, and updated policies are never served stale", () => {
  const replica = dataplane("web-2", [{ port: 8080, tags: { "kuma.io/service": "web", version: "v1" } }]);
  const mesh = policy("MeshTimeout", "mesh", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1h" } }] });
  const policies = [mesh];
  const first = typeRules(rulesForDataplane(web, policies), "MeshTimeout");
  const second = typeRules(rulesForDataplane(replica, policies), "MeshTimeout");
  assert.equal(first.toRules, second.toRules);

  const updated = policy("MeshTimeout", "mesh", { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "5m" } }] });
  assert.deepEqual(toConfFor(typeRules(rulesForDataplane(web, [updated]), "MeshTimeout"), "backend"), { idleTimeout: "5m" });
  policies[0] = updated;
  assert.deepEqual(toConfFor(typeRules(rulesForDataplane(web, policies), "MeshTimeout"), "backend"), { idleTimeout: "5m" }, "same array, new policy object");
});
