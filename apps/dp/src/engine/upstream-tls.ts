import tls from "node:tls";
import type { CommonTlsContext, Secret } from "@zonemesh/xds";
import { compileSanMatchers, compileTlsSecretRefs, dataSourceText, tlsMaterialFor, type SanMatcher } from "./tls-context";

/**
 * How a cluster's TLS connections are made: with the mesh identity and CA from SDS (mTLS inside the mesh), or with
 * inline material as Kuma's UpstreamTlsContextOutsideMesh sets for an external service.
 */
export interface UpstreamTls {
  /** The secure context to connect with; a new object when SDS secrets rotate (TLS sessions are kept per object). */
  material(secrets: ReadonlyMap<string, Secret>): { context: tls.SecureContext };
  /** Whether the server's chain is verified: Envoy verifies it only against a validation context's trusted CA. */
  verify: boolean;
  /** The server must carry a SAN matching one of these (none: any certificate, verified or not). */
  sanMatchers: SanMatcher[];
}

export function compileUpstreamTls(common: CommonTlsContext | undefined, path: string): UpstreamTls {
  if (common?.tls_certificate_sds_secret_configs || common?.validation_context_sds_secret_config || common?.combined_validation_context) {
    if (common.tls_certificates || common.validation_context) throw new Error(`${path}.common_tls_context: inline tls_certificates or validation_context beside SDS secrets are not supported`);
    const refs = compileTlsSecretRefs(common, path);
    return { material: (secrets) => tlsMaterialFor(refs, secrets), verify: true, sanMatchers: refs.sanMatchers };
  }
  return compileInlineTls(common, `${path}.common_tls_context`);
}

/** An optional client certificate, and without a validation_context no verification of the server, as in Envoy. */
function compileInlineTls(common: CommonTlsContext | undefined, path: string): UpstreamTls {
  const certificates = common?.tls_certificates ?? [];
  if (certificates.length > 1) throw new Error(`${path}.tls_certificates: at most one certificate is supported, got ${certificates.length}`);
  const [certificate] = certificates;
  const validation = common?.validation_context;
  const options: tls.SecureContextOptions = {};
  if (certificate) {
    options.cert = dataSourceText(certificate.certificate_chain, `${path}.tls_certificates[0].certificate_chain`);
    options.key = dataSourceText(certificate.private_key, `${path}.tls_certificates[0].private_key`);
  }
  // Envoy refuses SAN matchers without a trusted CA; a validation context without either verifies nothing: neither is supported.
  if (validation) options.ca = dataSourceText(validation.trusted_ca, `${path}.validation_context.trusted_ca`);
  let material: { context: tls.SecureContext };
  try {
    material = { context: tls.createSecureContext(options) };
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  return { material: () => material, verify: validation !== undefined, sanMatchers: compileSanMatchers(validation) };
}
