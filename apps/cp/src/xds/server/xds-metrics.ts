import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { TypeUrl } from "@zonemesh/xds";
import { discoveryServiceOf } from "./xds-type-names";

/** The CP's xDS metrics, in a registry of its own (several CPs may share a process in tests). */
export class XdsMetrics {
  readonly registry = new Registry();
  readonly #pushes = new Counter({
    name: "zonemesh_xds_responses_sent_total",
    help: "xDS responses sent to proxies (pushes), by discovery service (lds, cds, eds, rds, sds)",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly #nacks = new Counter({
    name: "zonemesh_xds_nacks_total",
    help: "xDS responses rejected (NACKed) by proxies, by discovery service (lds, cds, eds, rds, sds)",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  readonly #generation = new Histogram({
    name: "zonemesh_xds_generation_seconds",
    help: "Time to generate and cache one proxy's configuration",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly #generationErrors = new Counter({
    name: "zonemesh_xds_generation_errors_total",
    help: "Proxy configurations that could not be generated",
    registers: [this.registry],
  });

  constructor(connectedProxies: () => number, openStreams: () => number) {
    new Gauge({
      name: "zonemesh_xds_connected_proxies",
      help: "Proxies with at least one open ADS stream",
      registers: [this.registry],
      collect() {
        this.set(connectedProxies());
      },
    });
    new Gauge({
      name: "zonemesh_xds_streams",
      help: "Open ADS streams",
      registers: [this.registry],
      collect() {
        this.set(openStreams());
      },
    });
  }

  pushed(typeUrl: TypeUrl): void {
    this.#pushes.inc({ type: discoveryServiceOf[typeUrl] });
  }

  nacked(typeUrl: TypeUrl): void {
    this.#nacks.inc({ type: discoveryServiceOf[typeUrl] });
  }

  generated(seconds: number): void {
    this.#generation.observe(seconds);
  }

  generationFailed(): void {
    this.#generationErrors.inc();
  }
}
