import { policyTypeNames, type MeshBody, type PolicyResource, type Resource } from "@zonemesh/resources";
import type { ResourceStore, StoredResource } from "@zonemesh/store";
import type { DataplaneResource, ExternalServiceInput, ZoneIngressResource } from "../generate/index";
import { readExternalServices } from "./external-services";
import { meshSecretReader } from "./mesh-secrets";

/** Everything generation reads about one mesh, read from the store in one go. */
export interface MeshState {
  mesh: MeshBody & { name: string };
  dataplanes: DataplaneResource[];
  zoneIngresses: ZoneIngressResource[];
  externalServices: ExternalServiceInput[];
  policies: PolicyResource[];
}

export const toResource = <Body extends object>(stored: StoredResource): Resource<Body> => ({
  type: stored.type,
  mesh: stored.mesh,
  name: stored.name,
  labels: stored.labels,
  body: stored.spec as Body,
});

/** Undefined when the mesh does not exist. Bodies were validated by the API (or KDS) on the way in. */
export async function loadMeshState(store: ResourceStore, meshName: string): Promise<MeshState | undefined> {
  const [mesh, dataplanes, zoneIngresses, externalServices, policies] = await Promise.all([
    store.get({ type: "Mesh", mesh: "", name: meshName }),
    store.list({ type: "Dataplane", mesh: meshName }),
    store.list({ type: "ZoneIngress" }),
    store.list({ type: "ExternalService", mesh: meshName }),
    loadPolicies(store, meshName),
  ]);
  if (!mesh) return undefined;
  return {
    mesh: { ...(mesh.spec as MeshBody), name: meshName },
    dataplanes: dataplanes.items.map((d) => toResource(d)),
    zoneIngresses: zoneIngresses.items.map((z) => toResource(z)),
    externalServices: await readExternalServices(
      externalServices.items.map((e) => toResource(e)),
      meshSecretReader(store, meshName),
    ),
    policies,
  };
}

/** The mesh's policies of every type: all that changes after a policy change. */
export async function loadPolicies(store: ResourceStore, meshName: string): Promise<PolicyResource[]> {
  const lists = await Promise.all(policyTypeNames.map((type) => store.list({ type, mesh: meshName })));
  return lists.flatMap((list) => list.items.map((p) => toResource(p)));
}
