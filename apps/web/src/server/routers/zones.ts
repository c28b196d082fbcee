import { z } from "zod";
import { listQuery, listSchema, zoneIngressOverviewSchema, zoneOverviewSchema, type ZoneOverview } from "../cp-client";
import { isConnected, lastSeen } from "../dataplane-status";
import { displayNameOf } from "../display-name";
import { pageInput } from "../page-input";
import { publicProcedure, router } from "../trpc";

function zoneRow(zone: ZoneOverview) {
  const newest = zone.zoneInsight.subscriptions?.at(-1);
  const version = newest?.version?.["kumaCp"] as { version?: string } | undefined;
  return {
    name: zone.name,
    enabled: zone.zone.enabled ?? true,
    online: isConnected(zone.zoneInsight),
    connectTime: newest?.connectTime ?? null,
    lastSeen: lastSeen(zone.zoneInsight),
    cpVersion: version?.version ?? null,
    responsesSent: Number(newest?.status.total?.responsesSent ?? 0),
    responsesAcknowledged: Number(newest?.status.total?.responsesAcknowledged ?? 0),
  };
}

export const zonesRouter = router({
  /** Zones with their KDS connection state, as the global CP sees them. */
  list: publicProcedure.input(pageInput.extend({ name: z.string().optional() })).query(async ({ ctx, input }) => {
    const page = await ctx.cp.request({ path: "/zones+insights", query: listQuery(input), schema: listSchema(zoneOverviewSchema) });
    return { total: page.total, items: page.items.map(zoneRow) };
  }),

  /** Zone ingresses with the services they expose to other zones. */
  ingresses: publicProcedure.input(pageInput.extend({ name: z.string().optional() })).query(async ({ ctx, input }) => {
    const page = await ctx.cp.request({ path: "/zoneingresses+insights", query: listQuery(input), schema: listSchema(zoneIngressOverviewSchema) });
    return {
      total: page.total,
      items: page.items.map((ingress) => ({
        name: ingress.name,
        displayName: displayNameOf(ingress),
        zone: ingress.zoneIngress.zone ?? ingress.labels["kuma.io/zone"] ?? null,
        address: `${ingress.zoneIngress.networking.advertisedAddress ?? ingress.zoneIngress.networking.address}:${
          ingress.zoneIngress.networking.advertisedPort ?? ingress.zoneIngress.networking.port
        }`,
        online: isConnected(ingress.zoneIngressInsight),
        lastSeen: lastSeen(ingress.zoneIngressInsight),
        availableServices: (ingress.zoneIngress.availableServices ?? []).map((service) => ({
          mesh: service.mesh,
          service: service.tags["kuma.io/service"] ?? "",
          instances: service.instances,
        })),
      })),
    };
  }),
});
