import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMeshCa } from "./mesh-ca";
import { issueProxyCertificate } from "./proxy-certificate";
import { loadProvidedCa, ProvidedCaError } from "./provided-ca";

const acme = await createMeshCa("acme-root");
const other = await createMeshCa("other-root");
const base64 = (text: string) => Buffer.from(text).toString("base64");
const secrets: Record<string, string> = { "acme-cert": base64(acme.certPem), "acme-key": base64(acme.keyPem) };
const readSecret = async (name: string) => secrets[name];

test("a provided CA is read from mesh Secrets, inline (base64), inlineString or a file, and signs proxy certificates", async () => {
  const dir = await mkdtemp(join(tmpdir(), "zonemesh-provided-ca-"));
  try {
    await writeFile(join(dir, "key.pem"), acme.keyPem);
    const bundle = `${acme.certPem.trimEnd()}\n${acme.keyPem}`;
    const confs = [
      { cert: { secret: "acme-cert" }, key: { secret: "acme-key" } },
      // One Secret with both, as in Kuma's docs: only the certificate is kept as the CA served to proxies.
      { cert: { inlineString: bundle }, key: { inlineString: bundle } },
      { cert: { inline: base64(acme.certPem) }, key: { file: join(dir, "key.pem") } },
      { cert: { inlineString: acme.certPem }, key: { inlineString: createPrivateKey(acme.keyPem).export({ type: "pkcs1", format: "pem" }) as string } },
    ];
    for (const conf of confs) {
      const ca = await loadProvidedCa(conf, readSecret);
      assert.equal(new X509Certificate(ca.certPem).fingerprint256, new X509Certificate(acme.certPem).fingerprint256);
      assert.doesNotMatch(ca.certPem, /PRIVATE KEY/);
      const leaf = new X509Certificate((await issueProxyCertificate(ca, { mesh: "default", services: ["web"] })).certPem);
      assert.ok(leaf.checkIssued(new X509Certificate(acme.certPem)) && leaf.verify(new X509Certificate(acme.certPem).publicKey));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a provided CA that cannot be used is refused with the field and the reason", async () => {
  const leaf = await issueProxyCertificate(acme, { mesh: "default", services: ["web"] });
  const cases: [object, "cert" | "key", RegExp][] = [
    [{ cert: { secret: "missing" }, key: { secret: "acme-key" } }, "cert", /Secret "missing" does not exist in this mesh/],
    [{ cert: { secret: "acme-cert", inlineString: "x" }, key: { secret: "acme-key" } }, "cert", /exactly one of secret, file, inline, inlineString/],
    [{ cert: { inlineString: "not a certificate" }, key: { secret: "acme-key" } }, "cert", /is not a PEM certificate/],
    [{ cert: { inlineString: leaf.certPem }, key: { inlineString: leaf.keyPem } }, "cert", /is not a CA certificate/],
    [{ cert: { secret: "acme-cert" }, key: { inlineString: other.keyPem } }, "key", /is not the key of the certificate/],
    [{ cert: { secret: "acme-cert" }, key: { file: "/nonexistent/key.pem" } }, "key", /file \/nonexistent\/key.pem cannot be read/],
  ];
  for (const [conf, field, reason] of cases) {
    await assert.rejects(loadProvidedCa(conf as never, readSecret), (error: unknown) => error instanceof ProvidedCaError && error.field === field && reason.test(error.reason));
  }
});
