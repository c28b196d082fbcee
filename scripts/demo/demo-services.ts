// The demo's workloads: which service runs in which zone, on which local port.
export interface DemoService {
  service: string;
  zone: "east" | "west";
  version: string;
  protocol: "http" | "tcp";
  /** The workload's own port on 127.0.0.1. */
  port: number;
  /** The port its proxy's inbound listens on. */
  inboundPort: number;
}

export const demoServices: DemoService[] = [
  { service: "frontend", zone: "east", version: "v1", protocol: "http", port: 18080, inboundPort: 28080 },
  { service: "backend", zone: "east", version: "v1", protocol: "http", port: 18081, inboundPort: 28081 },
  { service: "backend", zone: "west", version: "v2", protocol: "http", port: 18082, inboundPort: 28082 },
  { service: "db", zone: "west", version: "v1", protocol: "tcp", port: 18083, inboundPort: 28083 },
];

export const dataplaneName = (s: DemoService) => `${s.service}-${s.version}-${s.zone}`;

/** The Dataplane of a demo workload, in Kuma's format. */
export const demoDataplane = (s: DemoService) => ({
  type: "Dataplane",
  mesh: "default",
  name: dataplaneName(s),
  networking: {
    address: "127.0.0.1",
    inbound: [
      {
        port: s.inboundPort,
        servicePort: s.port,
        tags: { "kuma.io/service": s.service, "kuma.io/protocol": s.protocol, version: s.version },
      },
    ],
  },
});
