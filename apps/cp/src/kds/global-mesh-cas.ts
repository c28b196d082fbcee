// Global mode: the global creates the CA of every mesh's enabled builtin mTLS backend (as Kuma's mesh manager does)
// and KDS carries its Secrets to the zones, so that a proxy in one zone trusts the certificates of another's.
import { enabledMtlsBackend, type MeshBody } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import type { CpComponent } from "../control-plane";
import { MeshCas } from "../xds/server/mesh-cas";

export async function startGlobalMeshCas(store: ResourceStore): Promise<CpComponent> {
  const cas = new MeshCas(store);
  const ensure = async (meshName: string) => {
    const mesh = (await store.get({ type: "Mesh", mesh: "", name: meshName }))?.spec as MeshBody | undefined;
    const backend = mesh && enabledMtlsBackend(mesh);
    if (backend?.type !== "builtin") return;
    try {
      await cas.get(meshName, backend);
    } catch (error) {
      console.error(`CA of mesh "${meshName}" (mTLS backend "${backend.name}") not created: ${(error as Error).message}`);
    }
  };
  const unsubscribe = store.subscribe((event) => {
    if (event.type === "Mesh" && event.op !== "delete") void ensure(event.name);
    // A CA Secret deleted by hand: the next Mesh change creates a new one.
    if (event.type === "Secret") cas.forget(event.mesh);
  });
  const meshes = await store.list({ type: "Mesh" });
  await Promise.all(meshes.items.map((mesh) => ensure(mesh.name)));
  return { close: async () => unsubscribe() };
}
