// The Mesh's mTLS mode on real dps: STRICT inbounds take only mesh mTLS; PERMISSIVE ones (a mesh moving to mTLS) also
// take plaintext callers from outside the mesh, which only permissions from the whole mesh let in. MeshTLS sets the
// mode per dataplane, and the TLS versions and ciphers of inbounds.
import assert from "node:assert/strict";
import tls from "node:tls";
import { after, before, describe, test } from "node:test";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { get, type TestBackend } from "@zonemesh/dp/testing/backends";
import { allowAll, builtinMtls, nacks, PROPAGATION_MS, startClientAndBackend, startZoneCluster, type ZoneCluster } from "./harness";
import { backendAnswer, scriptedBackend } from "./harness/workloads";

const mesh = "default";
const meshInMode = (mode: "STRICT" | "PERMISSIVE") => ({
  type: "Mesh",
  name: mesh,
  skipCreatingInitialPolicies: ["*"],
  mtls: { ...builtinMtls.mtls, backends: [{ ...builtinMtls.mtls.backends[0], mode }] },
});

describe("mTLS STRICT and PERMISSIVE, and MeshTLS, on real dps", { timeout: 300_000 }, () => {
  let cluster: ZoneCluster;
  let backend: TestBackend;
  let inbound: number;
  let outbound: number;
  const answer = (port: number) => backendAnswer(port, "/who");

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east"] });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    backend = await scriptedBackend("backend");
    ({ inbound, outbound } = await startClientAndBackend(cluster, "east", backend.port));
  });
  after(async () => {
    await cluster?.stop();
    await backend?.close();
  });

  test("STRICT: a plaintext caller outside the mesh is refused at backend's inbound; the mesh client gets through over mTLS", async () => {
    const seen = await eventually(() => answer(outbound), PROPAGATION_MS);
    assert.match(seen.xfcc ?? "", /URI=spiffe:\/\/default\/client/);
    await assert.rejects(get(inbound, "/who"));
  });

  test("PERMISSIVE: the plaintext caller gets in (no client certificate to forward), the mesh client still over mTLS", async () => {
    await cluster.applyOnGlobal("meshes", meshInMode("PERMISSIVE"));
    const plaintext = await eventually(() => answer(inbound), PROPAGATION_MS);
    assert.equal(plaintext.xfcc, undefined);
    assert.match((await answer(outbound)).xfcc ?? "", /URI=spiffe:\/\/default\/client/);
  });

  test("PERMISSIVE: a permission for named callers only (certificates) keeps the plaintext caller out with 403", async () => {
    await cluster.applyOnGlobal("meshtrafficpermissions", {
      type: "MeshTrafficPermission",
      mesh,
      name: "backend-from-client-only",
      spec: {
        targetRef: { kind: "MeshService", name: "backend" },
        from: [
          { targetRef: { kind: "Mesh" }, default: { action: "Deny" } },
          { targetRef: { kind: "MeshService", name: "client" }, default: { action: "Allow" } },
        ],
      },
    });
    await eventually(async () => assert.equal((await get(inbound, "/who")).status, 403), PROPAGATION_MS);
    assert.equal((await get(outbound, "/who")).status, 200);
    await cluster.removeFromGlobal("meshtrafficpermissions", "backend-from-client-only", mesh);
  });

  test("back to STRICT: the plaintext caller is refused again", async () => {
    await cluster.applyOnGlobal("meshes", meshInMode("STRICT"));
    await eventually(() => assert.rejects(get(inbound, "/who")), PROPAGATION_MS);
    assert.equal((await get(outbound, "/who")).status, 200);
  });

  test("MeshTLS on backend's dataplane: mode Permissive lets the plaintext caller in on the STRICT mesh", async () => {
    const meshTls = { type: "MeshTLS", mesh, name: "backend-tls", spec: { targetRef: { kind: "Dataplane", name: "backend" }, rules: [{ default: { mode: "Permissive" } }] } };
    await cluster.applyOnGlobal("meshtlses", meshTls);
    assert.equal((await eventually(() => answer(inbound), PROPAGATION_MS)).xfcc, undefined);
    await cluster.removeFromGlobal("meshtlses", "backend-tls", mesh);
    await eventually(() => assert.rejects(get(inbound, "/who")), PROPAGATION_MS);
  });

  test("MeshTLS TLS 1.2 only: a TLS 1.3 handshake is refused for its version, the mesh client still gets through; no dp NACKed any of it", async () => {
    const tls13Handshake = () =>
      new Promise<void>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: inbound, minVersion: "TLSv1.3", rejectUnauthorized: false }, () => {
          socket.destroy();
          resolve();
        });
        socket.on("error", reject);
      });
    await tls13Handshake();
    await cluster.applyOnGlobal("meshtlses", {
      type: "MeshTLS",
      mesh,
      name: "tls12-only",
      spec: { targetRef: { kind: "Mesh" }, rules: [{ default: { tlsVersion: { min: "TLS12", max: "TLS12" }, tlsCiphers: ["ECDHE-ECDSA-AES256-GCM-SHA384"] } }] },
    });
    await eventually(() => assert.rejects(tls13Handshake(), /protocol version|unsupported protocol/i), PROPAGATION_MS);
    assert.equal((await get(outbound, "/who")).status, 200);
    assert.deepEqual(await nacks(cluster.dataplanes()), []);
  });
});
