// Test input for the topology model: dataplanes summed into services per zone, as the CP's service insights are.
import type { TopologyService } from "./build-topology";

export interface TestDataplane {
  name: string;
  zone: string | null;
  service: string;
  status: "online" | "offline";
}

export function servicesOf(dataplanes: TestDataplane[]): TopologyService[] {
  const services = new Map<string, TopologyService>();
  for (const dp of dataplanes) {
    const service = services.get(dp.service) ?? { name: dp.service, zones: [] };
    let inZone = service.zones.find((zone) => zone.zone === dp.zone);
    if (!inZone) service.zones.push((inZone = { zone: dp.zone, healthy: 0, total: 0 }));
    inZone.total++;
    if (dp.status === "online") inZone.healthy++;
    services.set(dp.service, service);
  }
  return [...services.values()];
}
