import { durationToMillis, type MeshBody } from "@zonemesh/resources";
import type { CertificateAuthority } from "./certificate-authority";
import { caKeyAlgorithm, privateKeyToPem, randomSerialNumber, subtle, x509 } from "./x509";

export type { CertificateAuthority } from "./certificate-authority";

/** The `conf` of a Mesh's `builtin` mTLS backend. */
export type BuiltinCaConf = NonNullable<Extract<NonNullable<NonNullable<MeshBody["mtls"]>["backends"]>[number], { type: "builtin" }>["conf"]>;

/** Kuma's builtin CA defaults: a 2048-bit RSA key valid for 10 years. */
const defaultCaBits = 2048;
const defaultCaExpiration = "87600h";

/** Creates the self-signed root of a mesh's builtin CA, with the mesh's SPIFFE trust domain as URI SAN. */
export async function createMeshCa(meshName: string, conf: BuiltinCaConf = {}, now: Date = new Date()): Promise<CertificateAuthority> {
  const keys = await subtle.generateKey({ ...caKeyAlgorithm, modulusLength: conf.caCert?.RSAbits ?? defaultCaBits }, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ O: ["zonemesh"] }, { OU: ["Mesh"] }, { CN: [meshName] }],
    notBefore: now,
    notAfter: new Date(now.getTime() + durationToMillis(conf.caCert?.expiration ?? defaultCaExpiration)),
    keys,
    signingAlgorithm: caKeyAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: `spiffe://${meshName}` }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyToPem(keys.privateKey) };
}
