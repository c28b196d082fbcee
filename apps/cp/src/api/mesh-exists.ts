import type { ResourceStore, StoredResource } from "@zonemesh/store";
import { badRequest, notFound } from "./problem";

/** The mesh; refuses a request about one that does not exist, naming `field`: 404 when reading, 400 when writing (as Kuma). */
export async function requireMesh(store: ResourceStore, mesh: string, field: string, status: 400 | 404 = 404): Promise<StoredResource> {
  const stored = await store.get({ type: "Mesh", mesh: "", name: mesh });
  if (stored) return stored;
  const reason = `mesh "${mesh}" does not exist`;
  throw (status === 400 ? badRequest : notFound)(reason, [{ field, reason }]);
}
