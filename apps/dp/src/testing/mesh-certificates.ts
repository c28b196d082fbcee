import type { Secret } from "@zonemesh/xds";
// Test-only: certificates from the control plane's own mesh CA, so the engine is tested against what the CP issues.
import { createMeshCa, issueProxyCertificate, type CertificateAuthority } from "../../../cp/src/xds/ca/index";

const base64 = (text: string) => Buffer.from(text).toString("base64");

export async function meshCa(mesh: string): Promise<CertificateAuthority> {
  return createMeshCa(mesh, { caCert: { RSAbits: 2048 } });
}

/** The two SDS secrets a proxy of `service` gets, named as the CP names them. */
export async function proxySecrets(ca: CertificateAuthority, mesh: string, service: string): Promise<Secret[]> {
  const certificate = await issueProxyCertificate(ca, { mesh, services: [service] });
  return [
    { name: `identity_cert:secret:${mesh}`, tls_certificate: { certificate_chain: { inline_bytes: base64(certificate.certPem) }, private_key: { inline_bytes: base64(certificate.keyPem) } } },
    { name: `mesh_ca:secret:${mesh}`, validation_context: { trusted_ca: { inline_bytes: base64(ca.certPem) } } },
  ];
}

/** The PEM identity (certificate, key) the mesh CA issues a proxy of `service`. */
export async function proxyIdentity(ca: CertificateAuthority, mesh: string, service: string): Promise<{ cert: string; key: string }> {
  const certificate = await issueProxyCertificate(ca, { mesh, services: [service] });
  return { cert: certificate.certPem, key: certificate.keyPem };
}
