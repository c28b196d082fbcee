import type { MeshBody, PolicyResource, ZoneIngressBody } from "@zonemesh/resources";
import type { DataplaneResource, ProxyResources } from "../input";

export type AvailableService = NonNullable<ZoneIngressBody["availableServices"]>[number];

export interface IngressInput {
  /** The ZoneIngress to generate for. */
  ingress: { name: string; body: ZoneIngressBody };
  /** Every mesh of the zone; dataplanes of meshes not listed are left out. */
  meshes: { name: string; body: MeshBody }[];
  /** Every dataplane of the local zone, all meshes together (each carries its `mesh`). */
  dataplanes: DataplaneResource[];
  localZone: string;
  /** The targetRef policies of those meshes: subsets their MeshHTTPRoutes and MeshTCPRoutes route to get chains of their own. */
  policies?: PolicyResource[];
}

export interface IngressResources extends Omit<ProxyResources, "warnings"> {
  /** What the ingress serves to other zones: the reconciler writes it to the ZoneIngress, KDS carries it to them. */
  availableServices: AvailableService[];
}
