import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { createMeshCa } from "./mesh-ca";
import { issueProxyCertificate, needsRotation, proxyIdentity } from "./proxy-certificate";

const now = new Date("2026-01-01T00:00:00Z");
const hour = 60 * 60 * 1000;
const ca = await createMeshCa("default", {}, now);

test("createMeshCa makes a self-signed CA certificate with the mesh's SPIFFE trust domain and its matching key", () => {
  const cert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.equal(cert.subjectAltName, "URI:spiffe://default");
  assert.ok(cert.verify(cert.publicKey), "self-signed");
  assert.ok(cert.checkIssued(cert));
  assert.equal(new Date(cert.validTo).getTime() - now.getTime(), 87600 * hour);
  assert.equal(createPublicKey(createPrivateKey(ca.keyPem)).export({ format: "pem", type: "spki" }), cert.publicKey.export({ format: "pem", type: "spki" }));
});

test("issueProxyCertificate signs a 24h leaf with SPIFFE and tag URI SANs, chained to the mesh CA", async () => {
  const issued = await issueProxyCertificate(ca, { mesh: "default", services: ["backend"], tags: { version: ["v1"] } }, undefined, now);
  const leaf = new X509Certificate(issued.certPem);
  const root = new X509Certificate(ca.certPem);
  assert.equal(leaf.subjectAltName, "URI:spiffe://default/backend, URI:kuma://version/v1");
  assert.equal(leaf.ca, false);
  assert.ok(leaf.checkIssued(root), "issued by the mesh CA");
  assert.ok(leaf.verify(root.publicKey), "signature verifies with the CA key");
  assert.equal(new Date(leaf.validTo).getTime(), now.getTime() + 24 * hour);
  assert.equal(issued.notAfter.getTime(), now.getTime() + 24 * hour);
  assert.ok(new Date(leaf.validFrom).getTime() <= now.getTime());
  assert.equal(createPublicKey(createPrivateKey(issued.keyPem)).export({ format: "pem", type: "spki" }), leaf.publicKey.export({ format: "pem", type: "spki" }));
});

test("a certificate from another mesh's CA does not verify against this CA", async () => {
  const other = await createMeshCa("other", {}, now);
  const leaf = new X509Certificate((await issueProxyCertificate(other, { mesh: "other", services: ["web"] }, hour, now)).certPem);
  assert.equal(leaf.verify(new X509Certificate(ca.certPem).publicKey), false);
});

test("needsRotation is false early in a certificate's life and true from 80% of it", async () => {
  const { certPem } = await issueProxyCertificate(ca, { mesh: "default", services: ["web"] }, 10 * hour, now);
  assert.equal(needsRotation(certPem, new Date(now.getTime() + hour)), false);
  assert.equal(needsRotation(certPem, new Date(now.getTime() + 7.9 * hour)), false);
  assert.equal(needsRotation(certPem, new Date(now.getTime() + 8 * hour)), true);
  assert.equal(needsRotation(certPem, new Date(now.getTime() + 11 * hour)), true);
});

test("proxyIdentity names a dataplane by its inbound services and their other tags", async () => {
  const identity = proxyIdentity({
    type: "Dataplane",
    mesh: "default",
    name: "backend-1",
    labels: {},
    body: {
      networking: {
        address: "10.0.0.2",
        inbound: [
          { port: 8080, tags: { "kuma.io/service": "backend", version: "v1" } },
          { port: 9000, tags: { "kuma.io/service": "backend-admin", version: "v1" } },
        ],
      },
    },
  });
  assert.deepEqual(identity, { mesh: "default", services: ["backend", "backend-admin"], tags: { version: ["v1"] } });
  const leaf = new X509Certificate((await issueProxyCertificate(ca, identity, undefined, now)).certPem);
  assert.equal(leaf.subjectAltName, "URI:spiffe://default/backend, URI:spiffe://default/backend-admin, URI:kuma://version/v1");
});
