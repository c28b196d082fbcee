import type { CpProcess } from "../../apps/cp/src/testing/cp-process";
import { eventually } from "../../apps/cp/src/testing/eventually";
import { apply } from "../../apps/cp/src/testing/multizone";
import { demoDataplane, type DemoService } from "./demo-services";

/** Registers the Dataplanes of a zone's demo workloads with that zone's CP, once the mesh has synced there. */
export async function registerDemoDataplanes(zoneCp: CpProcess, services: DemoService[]): Promise<void> {
  for (const service of services) await eventually(() => apply(zoneCp, "dataplanes", demoDataplane(service)), 30_000);
}
