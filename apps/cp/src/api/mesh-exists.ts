import type { ResourceStore } from "@zonemesh/store";
import { badRequest, notFound } from "./problem";

/** Refuses a request about a mesh that does not exist, naming `field`: 404 when reading, 400 when writing (as Kuma). */
export async function requireMesh(store: ResourceStore, mesh: string, field: string, status: 400 | 404 = 404): Promise<void> {
  if (await store.get({ type: "Mesh", mesh: "", name: mesh })) return;
  const reason = `mesh "${mesh}" does not exist`;
  throw (status === 400 ? badRequest : notFound)(reason, [{ field, reason }]);
}
