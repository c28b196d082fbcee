// gRPC across zones through real `zonemesh-dp` processes: a service tagged kuma.io/protocol: grpc runs in west only,
// its caller in east. The zone CPs generate HTTP/2 for it (the caller's outbound cluster, the backend's local
// cluster), the dps speak HTTP/2 over mTLS to each other, and west's ingress forwards the TLS bytes by SNI.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { eventually } from "@zonemesh/cp/testing/eventually";
import { GrpcEchoClient, grpcEchoBackend, type GrpcEchoBackend } from "@zonemesh/dp/testing/grpc-echo";
import { freePort } from "@zonemesh/testing";
import { allowAll, nacks, PROPAGATION_MS, startZoneCluster, type DataplaneProcess, type ZoneCluster } from "./harness";
import { dataplaneYaml } from "./harness/workloads";
import { startZoneIngress } from "./harness/zone-ingress";

const mesh = "default";

describe("gRPC across zones (global, zones east and west with an ingress each, dps with mTLS)", { timeout: 600_000 }, () => {
  let cluster: ZoneCluster;
  let backend: GrpcEchoBackend;
  let client: GrpcEchoClient;
  const dps: DataplaneProcess[] = [];

  before(async () => {
    cluster = await startZoneCluster({ zones: ["east", "west"] });
    await cluster.applyOnGlobal("meshtrafficpermissions", allowAll(mesh));
    backend = await grpcEchoBackend();
    const outbound = await freePort();
    const started = await Promise.all([
      startZoneIngress(cluster, "west").then((ingress) => ingress.dp),
      startZoneIngress(cluster, "east").then((ingress) => ingress.dp),
      cluster.startDataplane({ zone: "west", yaml: dataplaneYaml({ name: "echo-grpc", inbound: { port: await freePort(), servicePort: backend.port, tags: { "kuma.io/service": "echo-grpc", "kuma.io/protocol": "grpc" } } }) }),
      cluster.startDataplane({
        zone: "east",
        yaml: dataplaneYaml({ name: "caller", inbound: { port: await freePort(), servicePort: await freePort(), tags: { "kuma.io/service": "caller", "kuma.io/protocol": "grpc" } }, outbound: [{ port: outbound, service: "echo-grpc" }] }),
      }),
    ]);
    dps.push(...started);
    client = new GrpcEchoClient(`127.0.0.1:${outbound}`);
  });
  after(async () => {
    client?.close();
    await cluster?.stop();
    backend?.close();
  });

  test("a unary call from east reaches the service in west, mTLS end to end (the backend sees the caller's SPIFFE id)", async () => {
    const answer = await eventually(() => client.unary("hello", "caller"), PROPAGATION_MS);
    assert.match(answer, new RegExp(`^echo hello from caller by .*URI=spiffe://${mesh}/caller(;|,|$)`));
    assert.deepEqual(await nacks(dps), []);
  });

  test("gRPC statuses cross the mesh: an error in a trailers-only response, and messages then a status in trailers", async () => {
    await assert.rejects(client.unary("missing", "caller"), (error: grpc.ServiceError) => error.code === grpc.status.NOT_FOUND && error.details === "no such thing");
    assert.deepEqual(await client.countdown("3"), { messages: ["3", "2", "1"], code: grpc.status.OK, details: "OK" });
    assert.deepEqual(await client.countdown("2!"), { messages: ["2", "1"], code: grpc.status.ABORTED, details: "stopped at zero" });
  });
});
