import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResource } from "./parse-resource";

const mtp = (spec: object, meta: object = {}) => ({ type: "MeshTrafficPermission", mesh: "default", name: "mtp", ...meta, spec });
const allowFromMesh = { targetRef: { kind: "Mesh" }, from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allow" } }] };
const timeout = (spec: object) => ({ type: "MeshTimeout", mesh: "default", name: "timeout", spec });
const route = (to: object[]) => ({ type: "MeshHTTPRoute", mesh: "default", name: "route", spec: { targetRef: { kind: "Mesh" }, to } });
const dataplane = (networking: object) => ({ type: "Dataplane", mesh: "default", name: "dp-1", networking });
const inbound = (entry: object) => dataplane({ address: "10.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": "web" }, ...entry }] });
const mesh = (body: object) => ({ type: "Mesh", name: "default", ...body });

/** Each case: an input and, for every error expected, the exact field and a fragment of the reason. */
const cases: { what: string; input: unknown; errors: [field: string, reason: string | RegExp][] }[] = [
  {
    what: "bad enum value",
    input: mtp({ from: [{ targetRef: { kind: "Mesh" }, default: { action: "Allowed" } }] }),
    errors: [["spec.from[0].default.action", 'must be one of: "Allow", "Deny", "AllowWithShadowDeny"']],
  },
  {
    what: "missing required default",
    input: mtp({ from: [{ targetRef: { kind: "Mesh" } }] }),
    errors: [["spec.from[0].default", "required field is missing"]],
  },
  {
    what: "targetRef kind not allowed in from[] of MeshTimeout",
    input: timeout({ from: [{ targetRef: { kind: "MeshService", name: "web" }, default: { idleTimeout: "1s" } }] }),
    errors: [["spec.from[0].targetRef.kind", '"MeshService" is not allowed here, must be one of: Mesh']],
  },
  {
    what: "targetRef kind not allowed in to[] of MeshHTTPRoute",
    input: route([{ targetRef: { kind: "Mesh" }, rules: [{ matches: [{ method: "GET" }], default: {} }] }]),
    errors: [["spec.to[0].targetRef.kind", '"Mesh" is not allowed here, must be one of: MeshService']],
  },
  {
    what: "bad duration",
    input: timeout({ to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "10 seconds" } }] }),
    errors: [["spec.to[0].default.idleTimeout", '"10 seconds" is not a duration']],
  },
  {
    what: "bad nested duration",
    input: timeout({ to: [{ targetRef: { kind: "Mesh" }, default: { http: { requestTimeout: "1d" } } }] }),
    errors: [["spec.to[0].default.http.requestTimeout", '"1d" is not a duration']],
  },
  {
    what: "name with upper case and underscore",
    input: mtp(allowFromMesh, { name: "Allow_All" }),
    errors: [["name", "lowercase RFC 1123 subdomain"]],
  },
  {
    what: "name longer than 253 characters",
    input: mtp(allowFromMesh, { name: "a".repeat(254) }),
    errors: [["name", "at most 253 characters"]],
  },
  { what: "empty name", input: mtp(allowFromMesh, { name: "" }), errors: [["name", "cannot be empty"]] },
  { what: "unknown field in spec", input: mtp({ ...allowFromMesh, foo: 1 }), errors: [["spec.foo", "unknown field"]] },
  {
    what: "unknown nested field",
    input: timeout({ to: [{ targetRef: { kind: "Mesh" }, default: { http: { timeout: "1s" } } }] }),
    errors: [["spec.to[0].default.http.timeout", "unknown field"]],
  },
  { what: "wrong type for a port", input: inbound({ port: "8080" }), errors: [["networking.inbound[0].port", "must be a number, got string"]] },
  { what: "port out of range", input: inbound({ port: 70000 }), errors: [["networking.inbound[0].port", "must be at most 65535"]] },
  {
    what: "inbound without kuma.io/service",
    input: inbound({ tags: { version: "v1" } }),
    errors: [['networking.inbound[0].tags["kuma.io/service"]', "tag has to exist"]],
  },
  {
    what: "unsupported kuma.io/protocol",
    input: inbound({ tags: { "kuma.io/service": "web", "kuma.io/protocol": "udp" } }),
    errors: [['networking.inbound[0].tags["kuma.io/protocol"]', "must be one of http, http2, grpc, tcp, kafka"]],
  },
  {
    what: "tag value with a space",
    input: inbound({ tags: { "kuma.io/service": "web", version: "v 1" } }),
    errors: [["networking.inbound[0].tags.version", "tag value must be non-empty and consist of alphanumeric characters"]],
  },
  {
    what: "dataplane with neither inbound nor gateway",
    input: dataplane({ address: "10.0.0.1" }),
    errors: [["networking.inbound", "has to contain at least one inbound interface or gateway"]],
  },
  {
    what: "unknown type",
    input: { type: "TrafficPermission", mesh: "default", name: "x" },
    errors: [["type", /unknown type "TrafficPermission", must be one of: Mesh, Dataplane, .*MeshAccessLog/]],
  },
  { what: "missing type", input: { mesh: "default", name: "x" }, errors: [["type", "required field is missing"]] },
  { what: "unknown type and bad name", input: { type: "Nope", name: "X" }, errors: [["type", 'unknown type "Nope"'], ["name", "invalid characters"]] },
  { what: "missing mesh on a Mesh-scoped type", input: mtp(allowFromMesh, { mesh: undefined }), errors: [["mesh", "required field is missing"]] },
  {
    what: "mesh on a Global-scoped type",
    input: { type: "Zone", mesh: "default", name: "zone-1" },
    errors: [["mesh", "must not be set: Zone is a Global-scoped type"]],
  },
  { what: "invalid mesh reference", input: mtp(allowFromMesh, { mesh: "My Mesh" }), errors: [["mesh", "invalid characters"]] },
  {
    what: "MeshService targetRef without name",
    input: mtp({ targetRef: { kind: "MeshService" }, from: allowFromMesh.from }),
    errors: [["spec.targetRef.name", "required field is missing for kind MeshService"]],
  },
  {
    what: "MeshSubset targetRef with a name",
    input: mtp({ targetRef: { kind: "MeshSubset", name: "web", tags: { app: "web" } }, from: allowFromMesh.from }),
    errors: [["spec.targetRef.name", "must not be set for kind MeshSubset"]],
  },
  {
    what: "tags on a MeshService targetRef",
    input: timeout({ to: [{ targetRef: { kind: "MeshService", name: "web", tags: { v: "1" } }, default: {} }] }),
    errors: [["spec.to[0].targetRef.tags", "must not be set for kind MeshService"]],
  },
  {
    what: "enabledBackend naming no backend",
    input: mesh({ mtls: { enabledBackend: "ca-2", backends: [{ name: "ca-1", type: "builtin" }] } }),
    errors: [["mtls.enabledBackend", "has to be set to one of the backends in the mesh"]],
  },
  {
    what: "unknown mTLS backend type",
    input: mesh({ mtls: { backends: [{ name: "ca-1", type: "selfsigned" }] } }),
    errors: [["mtls.backends[0].type", 'type must be one of "builtin", "provided", "vault", "acmpca", "certmanager"']],
  },
  {
    what: "secret data that is not base64",
    input: { type: "Secret", mesh: "default", name: "s", data: "not base64!" },
    errors: [["data", "must be base64-encoded bytes"]],
  },
  {
    what: "label value of the wrong type",
    input: mtp(allowFromMesh, { labels: { team: 5 } }),
    errors: [["labels.team", "must be a string, got number"]],
  },
  {
    what: "policy configuring nothing",
    input: timeout({ targetRef: { kind: "Mesh" } }),
    errors: [["spec.from", "at least one of from, to, rules has to be defined"]],
  },
  {
    what: "percentage above 100",
    input: {
      type: "MeshFaultInjection",
      mesh: "default",
      name: "fi",
      spec: { from: [{ targetRef: { kind: "Mesh" }, default: { http: [{ abort: { httpStatus: 500, percentage: 150 } }] } }] },
    },
    errors: [["spec.from[0].default.http[0].abort.percentage", "must be between 0 and 100"]],
  },
  {
    what: "pre-2.3 path match type",
    input: route([{ targetRef: { kind: "MeshService", name: "b" }, rules: [{ matches: [{ path: { type: "Prefix", value: "/" } }], default: {} }] }]),
    errors: [["spec.to[0].rules[0].matches[0].path.type", 'must be one of: "Exact", "PathPrefix", "RegularExpression"']],
  },
  {
    what: "relative path in a path match",
    input: route([{ targetRef: { kind: "MeshService", name: "b" }, rules: [{ matches: [{ path: { type: "Exact", value: "api" } }], default: {} }] }]),
    errors: [["spec.to[0].rules[0].matches[0].path.value", "must be an absolute path"]],
  },
  {
    what: "route rule without matches",
    input: route([{ targetRef: { kind: "MeshService", name: "b" }, rules: [{ matches: [], default: {} }] }]),
    errors: [["spec.to[0].rules[0].matches", "must have at least one element"]],
  },
  {
    what: "unknown HTTP retry condition",
    input: {
      type: "MeshRetry",
      mesh: "default",
      name: "r",
      spec: { to: [{ targetRef: { kind: "Mesh" }, default: { http: { retryOn: ["5xx", "Timeout"] } } }] },
    },
    errors: [["spec.to[0].default.http.retryOn[1]", '"Timeout" is not a valid HTTP retry condition']],
  },
  {
    what: "MeshRetry hostSelection: OmitHostsWithTags without tags, OmitPreviousPriorities twice, an update frequency of 0",
    input: {
      type: "MeshRetry",
      mesh: "default",
      name: "r",
      spec: {
        to: [
          {
            targetRef: { kind: "Mesh" },
            default: { http: { hostSelection: [{ predicate: "OmitHostsWithTags" }, { predicate: "OmitPreviousPriorities", updateFrequency: 2 }, { predicate: "OmitPreviousPriorities", updateFrequency: 0 }] } },
          },
        ],
      },
    },
    errors: [
      ["spec.to[0].default.http.hostSelection[0].tags", "must be defined for OmitHostsWithTags"],
      ["spec.to[0].default.http.hostSelection[2].updateFrequency", "must be greater than zero"],
      ["spec.to[0].default.http.hostSelection[2].predicate", "OmitPreviousPriorities must only be specified once"],
    ],
  },
  {
    what: "MeshLoadBalancingStrategy affinity tags with and without weights",
    input: { type: "MeshLoadBalancingStrategy", mesh: "default", name: "lb", spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { localityAwareness: { localZone: { affinityTags: [{ key: "k8s.io/node", weight: 10 }, { key: "k8s.io/az" }] } } } }] } },
    errors: [["spec.to[0].default.localityAwareness.localZone.affinityTags", "all or none affinity tags should have weight"]],
  },
  {
    what: "MeshLoadBalancingStrategy failoverThreshold of 0",
    input: { type: "MeshLoadBalancingStrategy", mesh: "default", name: "lb", spec: { targetRef: { kind: "Mesh" }, to: [{ targetRef: { kind: "Mesh" }, default: { localityAwareness: { crossZone: { failoverThreshold: { percentage: 0 } } } } }] } },
    errors: [["spec.to[0].default.localityAwareness.crossZone.failoverThreshold.percentage", "must be greater than 0"]],
  },
  { what: "a resource that is not an object", input: [1, 2], errors: [["", "a resource must be an object"]] },
  { what: "invalid creationTime", input: mtp(allowFromMesh, { creationTime: "yesterday" }), errors: [["creationTime", "must be an RFC 3339 timestamp"]] },
  {
    what: "negative instance count",
    input: { type: "ZoneIngress", name: "zi", networking: { address: "1.1.1.1", port: 10001 }, availableServices: [{ tags: {}, instances: -1, mesh: "default" }] },
    errors: [["availableServices[0].instances", "must be at least 0"]],
  },
  {
    what: "missing required number in a rate",
    input: {
      type: "MeshRateLimit",
      mesh: "default",
      name: "rl",
      spec: { from: [{ targetRef: { kind: "Mesh" }, default: { local: { http: { requestRate: { interval: "1s" } } } } }] },
    },
    errors: [["spec.from[0].default.local.http.requestRate.num", "required field is missing"]],
  },
  {
    what: "MeshHTTPRoute top-level targetRef with from[]",
    input: timeout({ targetRef: { kind: "MeshHTTPRoute", name: "r" }, from: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] }),
    errors: [["spec.from", "only `to` can be used when the top-level targetRef is a MeshHTTPRoute"]],
  },
  {
    what: "MeshHTTPRoute top-level targetRef on a policy that does not support it",
    input: { type: "MeshRetry", mesh: "default", name: "r", spec: { targetRef: { kind: "MeshHTTPRoute", name: "r" }, to: [{ targetRef: { kind: "Mesh" }, default: {} }] } },
    errors: [["spec.targetRef.kind", '"MeshHTTPRoute" is not allowed here, must be one of: Mesh, MeshSubset, MeshService, MeshServiceSubset']],
  },
  {
    what: "route filter without the block its type names",
    input: route([{ targetRef: { kind: "MeshService", name: "b" }, rules: [{ matches: [{ method: "GET" }], default: { filters: [{ type: "RequestHeaderModifier" }] } }] }]),
    errors: [["spec.to[0].rules[0].default.filters[0].requestHeaderModifier", "must be set when type is RequestHeaderModifier"]],
  },
  {
    what: "MeshServiceSubset backendRef without tags",
    input: route([{ targetRef: { kind: "MeshService", name: "b" }, rules: [{ matches: [{ method: "GET" }], default: { backendRefs: [{ kind: "MeshServiceSubset", name: "b" }] } }] }]),
    errors: [["spec.to[0].rules[0].default.backendRefs[0].tags", "required field is missing for kind MeshServiceSubset"]],
  },
  {
    what: "two mTLS backends with one name",
    input: mesh({ mtls: { backends: [{ name: "ca-1", type: "builtin" }, { name: "ca-1", type: "builtin" }] } }),
    errors: [["mtls.backends[1].name", '"ca-1" is already used by another backend']],
  },
  {
    what: "access log backend with two destinations",
    input: {
      type: "MeshAccessLog",
      mesh: "default",
      name: "log",
      spec: { to: [{ targetRef: { kind: "Mesh" }, default: { backends: [{ file: { path: "/tmp/a" }, tcp: { address: "1.2.3.4:5" } }] } }] },
    },
    errors: [["spec.to[0].default.backends[0]", "exactly one of tcp, file, openTelemetry has to be defined"]],
  },
  {
    what: "Dataplane targetRef with both labels and a name",
    input: timeout({ targetRef: { kind: "Dataplane", name: "dp-1", labels: { app: "web" } }, rules: [{ default: { idleTimeout: "1s" } }] }),
    errors: [["spec.targetRef.labels", "either labels or name and namespace must be specified"]],
  },
  {
    what: "sectionName and namespace on kinds that have neither",
    input: mtp({ targetRef: { kind: "MeshSubset", tags: { app: "web" }, sectionName: "http", namespace: "shop" }, from: allowFromMesh.from }),
    errors: [
      ["spec.targetRef.sectionName", "must not be set for kind MeshSubset"],
      ["spec.targetRef.namespace", "must not be set for kind MeshSubset"],
    ],
  },
  {
    what: "sectionName on a policy with to",
    input: timeout({ targetRef: { kind: "Dataplane", labels: { app: "web" }, sectionName: "http" }, to: [{ targetRef: { kind: "Mesh" }, default: { idleTimeout: "1s" } }] }),
    errors: [["spec.targetRef.sectionName", "can only be used with inbound policies (from, rules), not with to"]],
  },
  {
    what: "Dataplane kind in from[]",
    input: mtp({ from: [{ targetRef: { kind: "Dataplane", labels: { app: "web" } }, default: { action: "Allow" } }] }),
    errors: [["spec.from[0].targetRef.kind", '"Dataplane" is not allowed here']],
  },
  {
    what: "MeshService named by labels other than kuma.io/display-name, and by both name and labels",
    input: timeout({
      to: [
        { targetRef: { kind: "MeshService", labels: { "kuma.io/display-name": "web", "k8s.kuma.io/namespace": "shop" } }, default: { idleTimeout: "1s" } },
        { targetRef: { kind: "MeshService", name: "web", labels: { "kuma.io/display-name": "web" } }, default: { idleTimeout: "1s" } },
        { targetRef: { kind: "MeshService", labels: { app: "web" } }, default: { idleTimeout: "1s" } },
      ],
    }),
    errors: [
      ['spec.to[0].targetRef.labels["k8s.kuma.io/namespace"]', "not supported: services are selected by kuma.io/display-name only"],
      ["spec.to[1].targetRef.labels", "either labels or name must be specified"],
      ['spec.to[2].targetRef.labels["kuma.io/display-name"]', "required: the service's name"],
      ["spec.to[2].targetRef.labels.app", "not supported"],
    ],
  },
  {
    what: "MeshTrafficPermission rules matchers without their SPIFFE ID or with an unknown match type",
    input: mtp({ rules: [{ default: { allow: [{}], deny: [{ spiffeID: { type: "Regex", value: "x" } }] } }] }),
    errors: [
      ["spec.rules[0].default.allow[0].spiffeID", "required field is missing"],
      ["spec.rules[0].default.deny[0].spiffeID.type", 'must be one of: "Exact", "Prefix"'],
    ],
  },
  {
    what: "MeshFaultInjection rule with empty matches, and an SNI matcher (not modelled)",
    input: { type: "MeshFaultInjection", mesh: "default", name: "f", spec: { rules: [{ matches: [], default: {} }, { matches: [{ sni: { type: "Exact", value: "a" } }], default: {} }] } },
    errors: [
      ["spec.rules[0].matches", "must have at least one element"],
      ["spec.rules[1].matches[0].spiffeID", "required field is missing"],
      ["spec.rules[1].matches[0].sni", "unknown field"],
    ],
  },
  {
    what: "MeshTrafficPermission with both from and rules",
    input: mtp({ from: allowFromMesh.from, rules: [{ default: { deny: [{ spiffeID: { type: "Exact", value: "spiffe://default/a" } }] } }] }),
    errors: [["spec.rules", "from and rules are mutually exclusive"]],
  },
  {
    what: "MeshTLS with min newer than max, a cipher Kuma does not offer, an unknown mode, and `to`",
    input: {
      type: "MeshTLS",
      mesh: "default",
      name: "t",
      spec: { targetRef: { kind: "Mesh" }, rules: [{ default: { tlsVersion: { min: "TLS13", max: "TLS12" }, tlsCiphers: ["RC4-SHA"], mode: "Optional" } }], to: [] },
    },
    errors: [
      ["spec.rules[0].default.tlsCiphers[0]", "must be one of"],
      ["spec.rules[0].default.mode", 'must be one of: "Strict", "Permissive"'],
      ["spec.to", "unknown field"],
    ],
  },
  {
    what: "MeshTLS with min newer than max",
    input: { type: "MeshTLS", mesh: "default", name: "t", spec: { targetRef: { kind: "Mesh" }, rules: [{ default: { tlsVersion: { min: "TLS13", max: "TLS12" } } }] } },
    errors: [["spec.rules[0].default.tlsVersion.min", "must not be newer than max (TLS12)"]],
  },
  {
    what: "ExternalService address without a port, tags without kuma.io/service",
    input: { type: "ExternalService", mesh: "default", name: "httpbin", networking: { address: "httpbin.org" }, tags: { team: "a" } },
    errors: [
      ["networking.address", "must be host:port with a port between 1 and 65535"],
      ['tags["kuma.io/service"]', "tag has to exist"],
    ],
  },
  {
    what: "ExternalService client certificate without its key",
    input: { type: "ExternalService", mesh: "default", name: "httpbin", networking: { address: "httpbin.org:443", tls: { enabled: true, clientCert: { secret: "cert" } } }, tags: { "kuma.io/service": "httpbin" } },
    errors: [["networking.tls.clientKey", "clientCert and clientKey must be set together"]],
  },
  {
    what: "several errors reported together",
    input: mtp(
      { from: [{ targetRef: { kind: "MeshGateway" }, default: { action: "Allow", extra: true } }], to: [] },
      { name: "Bad Name", labels: "team=a" },
    ),
    errors: [
      ["name", "lowercase RFC 1123 subdomain"],
      ["labels", "must be an object, got string"],
      ["spec.from[0].targetRef.kind", '"MeshGateway" is not allowed here'],
      ["spec.from[0].default.extra", "unknown field"],
      ["spec.to", "unknown field"],
    ],
  },
];

test(`${cases.length} malformed inputs are each rejected with the exact field and reason`, () => {
  assert.ok(cases.length >= 25);
  for (const { what, input, errors } of cases) {
    const result = parseResource(input);
    assert.equal(result.ok, false, `${what}: expected a failure`);
    if (result.ok) continue;
    assert.deepEqual(
      result.errors.map((error) => error.field),
      errors.map(([field]) => field),
      `${what}: ${JSON.stringify(result.errors)}`,
    );
    errors.forEach(([, reason], index) => {
      const actual = result.errors[index]?.reason ?? "";
      if (typeof reason === "string") assert.ok(actual.includes(reason), `${what}: reason ${JSON.stringify(actual)} lacks ${JSON.stringify(reason)}`);
      else assert.match(actual, reason, what);
    });
  }
});
