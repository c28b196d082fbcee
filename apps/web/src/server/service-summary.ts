import type { ServiceInsight } from "./cp-client";

export interface ServiceSummary {
  mesh: string;
  name: string;
  zones: string[];
  /** Inbounds serving it that are online (dataplane connected, inbound ready). */
  healthy: number;
  total: number;
  status: ServiceInsight["status"];
}

/** A row of the services page from the CP's service insight (dataplanes without a zone name none). */
export const serviceSummary = (insight: ServiceInsight): ServiceSummary => ({
  mesh: insight.mesh,
  name: insight.name,
  zones: insight.zones.map((zone) => zone.name).filter(Boolean),
  healthy: insight.dataplanes.online,
  total: insight.dataplanes.total,
  status: insight.status,
});
