import { z } from "zod";
import type { MeshBody } from "@zonemesh/resources";
import { buildTopology, type TopologyPolicy } from "../../lib/topology/build-topology";
import { apiPath, listAll, wireResourceSchema, zoneOverviewSchema } from "../cp-client";
import { isConnected } from "../dataplane-status";
import { publicProcedure, router } from "../trpc";
import { allDataplaneRows } from "./dataplanes";

const EDGE_POLICY_TYPES = [
  { type: "MeshTrafficPermission", plural: "meshtrafficpermissions" },
  { type: "MeshHTTPRoute", plural: "meshhttproutes" },
  { type: "MeshTCPRoute", plural: "meshtcproutes" },
] as const;

export const topologyRouter = router({
  /** The service graph of one mesh: zones, services per zone with dataplane health, permission and route edges. */
  graph: publicProcedure.input(z.object({ mesh: z.string().min(1) })).query(async ({ ctx, input }) => {
    const [mesh, zones, dataplanes, ...policyLists] = await Promise.all([
      ctx.cp.request({ path: apiPath("meshes", input.mesh), schema: wireResourceSchema }),
      listAll(ctx.cp, "/zones+insights", zoneOverviewSchema),
      allDataplaneRows(ctx.cp, { mesh: input.mesh }),
      ...EDGE_POLICY_TYPES.map(({ plural }) => listAll(ctx.cp, `${apiPath("meshes", input.mesh)}/${plural}`, wireResourceSchema)),
    ]);
    const policies = policyLists.flat().map((policy) => ({ type: policy.type, name: policy.name, body: policy.body }) as TopologyPolicy);
    return buildTopology({
      mesh: input.mesh,
      mtls: Boolean((mesh.body as MeshBody).mtls?.enabledBackend),
      zones: zones.map((zone) => ({ name: zone.name, online: isConnected(zone.zoneInsight) })),
      dataplanes,
      policies,
    });
  }),
});
