import { SERVICE_TAG, type DataplaneBody, type Resource } from "@zonemesh/resources";
import { spiffeIdOf } from "@zonemesh/resources";
import { kumaTagUri } from "../generate/names";
import type { CertificateAuthority } from "./mesh-ca";
import { caKeyAlgorithm, importCaPrivateKey, privateKeyToPem, proxyKeyAlgorithm, randomSerialNumber, subtle, x509 } from "./x509";

/** Kuma's default `dpCert.rotation.expiration`. */
export const defaultProxyCertTtlMs = 24 * 60 * 60 * 1000;
/**
 * Tolerated clock difference between the CP and proxies: certificates start this much in the past. Their lifetime (and
 * rotation point) still counts from the issue time, so a lifetime shorter than this allowance works too.
 */
const clockSkewMs = 60 * 1000;
/** A certificate is renewed once this share of its lifetime has passed. */
const rotationPoint = 0.8;

export interface ProxyIdentity {
  mesh: string;
  /** The `kuma.io/service` values of the proxy's inbounds: each becomes a `spiffe://<mesh>/<service>` URI SAN. */
  services: string[];
  /** Other inbound tags, as `kuma://<tag>/<value>` URI SANs (Kuma matches MeshSubset sources on them). */
  tags?: Record<string, string[]>;
}

/** The identity of a Dataplane: its inbounds' services, and their other tags (MeshTrafficPermission matches on both). */
export function proxyIdentity(dataplane: Resource<DataplaneBody>): ProxyIdentity {
  const services = new Set<string>();
  const tags: Record<string, Set<string>> = {};
  for (const inbound of dataplane.body.networking.inbound ?? []) {
    for (const [key, value] of Object.entries(inbound.tags)) {
      if (key === SERVICE_TAG) services.add(value);
      else (tags[key] ??= new Set()).add(value);
    }
  }
  return { mesh: dataplane.mesh, services: [...services], tags: Object.fromEntries(Object.entries(tags).map(([key, values]) => [key, [...values]])) };
}

export interface ProxyCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
  /** When to issue the next one: `rotationPoint` of the lifetime after the issue time. */
  rotateAt: Date;
}

function identityUris(identity: ProxyIdentity): string[] {
  const services = [...new Set(identity.services)].sort().map((service) => spiffeIdOf(identity.mesh, service));
  const tags = Object.entries(identity.tags ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([key, values]) => [...new Set(values)].sort().map((value) => kumaTagUri(key, value)));
  return [...services, ...tags];
}

/** Issues a short-lived proxy certificate signed by the mesh CA. */
export async function issueProxyCertificate(ca: CertificateAuthority, identity: ProxyIdentity, ttlMs: number = defaultProxyCertTtlMs, now: Date = new Date()): Promise<ProxyCertificate> {
  if (identity.services.length === 0) throw new Error("a proxy certificate needs at least one service");
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await subtle.generateKey(proxyKeyAlgorithm, true, ["sign", "verify"]);
  const notAfter = new Date(now.getTime() + ttlMs);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: "",
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: await importCaPrivateKey(ca.keyPem),
    signingAlgorithm: caKeyAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      // The subject is empty, so the SAN carries the identity and must be critical (RFC 5280 4.2.1.6).
      new x509.SubjectAlternativeNameExtension(identityUris(identity).map((value) => ({ type: "url" as const, value })), true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyToPem(keys.privateKey), notAfter, rotateAt: new Date(now.getTime() + ttlMs * rotationPoint) };
}

/**
 * True once `rotationPoint` of the certificate's lifetime, counted from its issue time (notBefore plus the clock skew
 * allowance), has passed, or when it is not valid yet.
 */
export function needsRotation(certPem: string, now: Date = new Date()): boolean {
  const cert = new x509.X509Certificate(certPem);
  const issued = cert.notBefore.getTime() + clockSkewMs;
  const end = cert.notAfter.getTime();
  if (now.getTime() < cert.notBefore.getTime()) return true;
  return now.getTime() >= issued + (end - issued) * rotationPoint;
}
