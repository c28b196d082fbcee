import type { ResourceStore } from "@zonemesh/store";
import type { SecretReader } from "../data-source";

/** The data (base64) of the mesh's Secrets in the store, by name. */
export const meshSecretReader =
  (store: ResourceStore, mesh: string): SecretReader =>
  async (name) => {
    const secret = await store.get({ type: "Secret", mesh, name });
    return secret ? String((secret.spec as { data?: unknown } | null)?.data ?? "") : undefined;
  };
