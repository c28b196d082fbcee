// A mesh with a `provided` mTLS backend: the user's own CA, from Secrets applied on the global, signs the certificates
// of real dps in the zone; a CA that cannot be used is refused when the Mesh is applied.
import assert from "node:assert/strict";
import tls from "node:tls";
import { X509Certificate } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createMeshCa, type CertificateAuthority } from "@zonemesh/cp/ca";
import { call } from "@zonemesh/cp/testing";
import { eventually } from "@zonemesh/cp/testing/eventually";
import type { TestBackend } from "@zonemesh/dp/testing/backends";
import { allowAll, nacks, PROPAGATION_MS, startClientAndBackend, startZoneCluster, type ZoneCluster } from "./harness";
import { backendAnswer, scriptedBackend } from "./harness/workloads";

const mesh = "default";
const base64 = (text: string) => Buffer.from(text).toString("base64");
const providedMesh = (certSecret: string) => ({
  type: "Mesh",
  name: mesh,
  skipCreatingInitialPolicies: ["*"],
  mtls: { enabledBackend: "acme", backends: [{ name: "acme", type: "provided", conf: { cert: { secret: certSecret }, key: { secret: "acme-key" } } }] },
});

describe("a provided CA on real dps", { timeout: 300_000 }, () => {
  let cluster: ZoneCluster;
  let backend: TestBackend;
  let acme: CertificateAuthority;
  let inbound: number;
  let outbound: number;

  before(async () => {
    acme = await createMeshCa("acme-root");
    cluster = await startZoneCluster({ zones: ["east"], meshBody: { skipCreatingInitialPolicies: ["*"] } });
    // Secrets live in a mesh: the mesh first, then its Secrets, then mTLS from them (as with Kuma).
    await cluster.applyOnGlobal("secrets", { type: "Secret", mesh, name: "acme-cert", data: base64(acme.certPem) });
    await cluster.applyOnGlobal("secrets", { type: "Secret", mesh, name: "acme-key", data: base64(acme.keyPem) });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    backend = await scriptedBackend("backend");
  });
  after(async () => {
    await cluster?.stop();
    await backend?.close();
  });

  test("a provided backend whose Secret is missing is refused with the field; the mesh is left as it was", async () => {
    const refused = await call(cluster.global.apiUrl, "PUT", `/meshes/${mesh}`, { body: providedMesh("no-such-secret") });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.invalid_parameters, [{ field: "mtls.backends[0].conf.cert", reason: 'Secret "no-such-secret" does not exist in this mesh' }]);
    assert.equal((await call(cluster.global.apiUrl, "GET", `/meshes/${mesh}`)).body.mtls, undefined);
  });

  test("the dps' certificates are issued by the provided CA, and mesh traffic is mTLS between them", async () => {
    await cluster.applyOnGlobal("meshes", providedMesh("acme-cert"));
    ({ inbound, outbound } = await startClientAndBackend(cluster, "east", backend.port));
    const seen = await eventually(() => backendAnswer(outbound, "/who"), PROPAGATION_MS);
    assert.match(seen.xfcc ?? "", /URI=spiffe:\/\/default\/client/);
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port: inbound, rejectUnauthorized: false }, () => {
        resolve(new X509Certificate(socket.getPeerX509Certificate()!.raw));
        socket.destroy();
      });
      socket.on("error", reject);
    });
    const root = new X509Certificate(acme.certPem);
    assert.ok(peer.checkIssued(root) && peer.verify(root.publicKey), `backend's certificate (issuer ${peer.issuer}) is signed by the provided CA`);
    assert.match(peer.subjectAltName ?? "", /^URI:spiffe:\/\/default\/backend,/);
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
