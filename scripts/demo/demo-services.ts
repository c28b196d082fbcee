// The demo's workloads: which service runs in which zone and whom it calls. Every port is an offset into the
// demo's port range (demo-config.ts), so a second demo on another base never collides with the first.
import type { DemoConfig, DemoZone } from "./demo-config";

export interface DemoService {
  service: string;
  zone: DemoZone;
  version: string;
  protocol: "http" | "tcp";
  /** Port offsets: the workload's own port, its proxy's inbound and admin ports. */
  offsets: { workload: number; inbound: number; admin: number };
  /** The services it calls, each through an outbound listener of its proxy on 127.0.0.1 at the given offset. */
  calls: { service: string; offset: number }[];
}

export const demoServices: DemoService[] = [
  {
    service: "frontend",
    zone: "east",
    version: "v1",
    protocol: "http",
    offsets: { workload: 10, inbound: 20, admin: 30 },
    calls: [
      { service: "backend", offset: 40 },
      { service: "payments-api", offset: 43 },
    ],
  },
  { service: "backend", zone: "east", version: "v1", protocol: "http", offsets: { workload: 11, inbound: 21, admin: 31 }, calls: [{ service: "db", offset: 41 }] },
  { service: "backend", zone: "west", version: "v2", protocol: "http", offsets: { workload: 12, inbound: 22, admin: 32 }, calls: [{ service: "db", offset: 42 }] },
  { service: "db", zone: "west", version: "v1", protocol: "tcp", offsets: { workload: 13, inbound: 23, admin: 33 }, calls: [] },
];

/** A workload outside the mesh (no proxy), which frontend reaches through the ExternalService of its name. */
export const demoOutsideWorkload = { service: "payments-api", offset: 14 };

/** The ExternalService of the workload outside the mesh, by hostname (its proxy resolves `localhost`). */
export const demoExternalService = (config: DemoConfig) => ({
  type: "ExternalService",
  mesh: "default",
  name: demoOutsideWorkload.service,
  tags: { "kuma.io/service": demoOutsideWorkload.service, "kuma.io/protocol": "http" },
  networking: { address: `localhost:${config.port(demoOutsideWorkload.offset)}` },
});

/** Each zone's ingress: the port other zones' proxies reach it on, and its admin port. */
export const ingressOffsets: Record<DemoZone, { port: number; admin: number }> = {
  east: { port: 50, admin: 52 },
  west: { port: 51, admin: 53 },
};

export const dataplaneName = (s: DemoService) => `${s.service}-${s.version}-${s.zone}`;

/** The Dataplane a demo workload's proxy registers, in Kuma's format. */
export const demoDataplane = (s: DemoService, config: DemoConfig) => ({
  type: "Dataplane",
  mesh: "default",
  name: dataplaneName(s),
  networking: {
    address: "127.0.0.1",
    inbound: [
      {
        port: config.port(s.offsets.inbound),
        servicePort: config.port(s.offsets.workload),
        tags: { "kuma.io/service": s.service, "kuma.io/protocol": s.protocol, version: s.version },
      },
    ],
    outbound: s.calls.map((call) => ({ port: config.port(call.offset), tags: { "kuma.io/service": call.service } })),
  },
});

/** The ZoneIngress of a zone, reachable by the other zone's proxies on 127.0.0.1. */
export const demoZoneIngress = (zone: DemoZone, config: DemoConfig) => ({
  type: "ZoneIngress",
  name: `ingress-${zone}`,
  networking: {
    address: "127.0.0.1",
    advertisedAddress: "127.0.0.1",
    port: config.port(ingressOffsets[zone].port),
    advertisedPort: config.port(ingressOffsets[zone].port),
    admin: { port: config.port(ingressOffsets[zone].admin) },
  },
});
