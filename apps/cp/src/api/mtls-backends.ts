import { enabledMtlsBackend, type MeshBody } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import { loadProvidedCa, ProvidedCaError } from "../xds/ca/provided-ca";
import { meshSecretReader } from "../xds/server/mesh-secrets";
import { badRequest } from "./problem";

/**
 * Refuses a Mesh whose mTLS this control plane could not serve: an enabled backend of a type it does not issue
 * certificates from (vault, acmpca, certmanager), or a `provided` backend whose CA cannot be used (missing Secret, not
 * a CA, not its key).
 */
export async function assertUsableMtlsBackends(store: ResourceStore, meshName: string, mesh: MeshBody): Promise<void> {
  const readSecret = meshSecretReader(store, meshName);
  const backends = mesh.mtls?.backends ?? [];
  const enabled = enabledMtlsBackend(mesh);
  if (enabled && enabled.type !== "builtin" && enabled.type !== "provided") {
    throw badRequest(`mTLS backend type ${enabled.type} is not supported`, [
      { field: `mtls.backends[${backends.indexOf(enabled)}].type`, reason: `${enabled.type} backends cannot be enabled here: this control plane issues certificates from builtin and provided backends` },
    ]);
  }
  for (const [index, backend] of backends.entries()) {
    if (backend.type !== "provided") continue;
    try {
      await loadProvidedCa(backend.conf, readSecret);
    } catch (error) {
      if (!(error instanceof ProvidedCaError)) throw error;
      throw badRequest(`mTLS backend "${backend.name}" cannot issue certificates`, [{ field: `mtls.backends[${index}].conf.${error.field}`, reason: error.reason }]);
    }
  }
}
