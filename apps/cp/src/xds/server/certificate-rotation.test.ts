// A real standalone CP rotates a proxy's certificate before it expires, over the open ADS stream: a mesh whose builtin
// backend issues 10-second certificates (shorter than the 60 s clock skew allowance they start in the past with).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@zonemesh/testing";
import { typeUrls } from "@zonemesh/xds";
import { x509 } from "../ca/x509";
import { call } from "../../api/testing";
import { readConfig } from "../../config";
import { startControlPlane, type ControlPlane } from "../../control-plane";
import { EnvoyLikeProxy } from "./testing/envoy-like-proxy";

let cp: ControlPlane;
let dataDir: string;
let xdsAddress: string;
let proxy: EnvoyLikeProxy | undefined;

const put = async (path: string, body: object) => {
  const response = await call(cp.api.address.url, "PUT", path, { body });
  assert.ok(response.status < 300, `PUT ${path}: ${response.status} ${JSON.stringify(response.body)}`);
};

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "zonemesh-xds-rotation-"));
  const xdsPort = await freePort();
  cp = await startControlPlane(readConfig(["--mode", "standalone", "--data-dir", dataDir, "--api-port", "0", "--kds-port", "0", "--xds-port", String(xdsPort)], {}));
  xdsAddress = `127.0.0.1:${xdsPort}`;
  await put("/meshes/short", {
    type: "Mesh",
    name: "short",
    mtls: { enabledBackend: "ca-1", backends: [{ name: "ca-1", type: "builtin", dpCert: { rotation: { expiration: "10s" } } }] },
  });
  await put("/meshes/short/dataplanes/web-1", {
    type: "Dataplane",
    mesh: "short",
    name: "web-1",
    networking: { address: "127.0.0.1", inbound: [{ port: 8080, tags: { "kuma.io/service": "web", "kuma.io/protocol": "http" } }] },
  });
});

after(async () => {
  await proxy?.close();
  await cp.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The identity certificate the proxy accepted last, parsed. */
function identityCertificate(current: EnvoyLikeProxy): x509.X509Certificate | undefined {
  const secret = current.resources(typeUrls.secret).get("identity_cert:secret:short") as { tls_certificate?: { certificate_chain?: { inline_bytes?: string } } } | undefined;
  const pem = secret?.tls_certificate?.certificate_chain?.inline_bytes;
  return pem ? new x509.X509Certificate(Buffer.from(pem, "base64").toString()) : undefined;
}

test("a proxy gets a new identity certificate (new serial, later notAfter) before the old one expires, on the same stream", async () => {
  const token = (await call(cp.api.address.url, "POST", "/tokens/dataplane", { body: { mesh: "short", name: "web-1" } })).body as string;
  const current = (proxy = new EnvoyLikeProxy({ address: xdsAddress, nodeId: "short.web-1", token }));
  // The mesh CA's RSA key is made first: seconds on a busy machine.
  const first = await current.until(() => identityCertificate(current), "the first identity certificate", 60_000);
  const lifetimeMs = first.notAfter.getTime() - Date.now();
  assert.ok(lifetimeMs > 0 && lifetimeMs <= 10_000, `the certificate lives 10 s from its issue (${lifetimeMs} ms left)`);
  const renewed = await current.until(
    () => {
      const now = identityCertificate(current);
      return now && now.serialNumber !== first.serialNumber ? { certificate: now, receivedAt: Date.now() } : undefined;
    },
    "a renewed identity certificate",
    15_000,
  );
  assert.ok(renewed.receivedAt < first.notAfter.getTime(), `renewed ${renewed.receivedAt - first.notAfter.getTime()} ms after the old one expired`);
  assert.ok(renewed.certificate.notAfter > first.notAfter);
  // The first one was renewed once, at 80% of its life, not again and again: another renewal only comes 8 s later.
  const second = renewed.certificate.serialNumber;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.equal(identityCertificate(current)?.serialNumber, second);
  const settled = await Promise.race([current.status.then(() => "ended"), new Promise((resolve) => setTimeout(() => resolve("open"), 10))]);
  assert.equal(settled, "open", "the stream was never closed: no reconnection");
});
