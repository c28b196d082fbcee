// Certificates for servers outside the mesh that a test stands up (a TLS ExternalService): a CA, and leaf
// certificates it signs for a DNS name, usable as a server's or a client's.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends TestCertificate {
  /** A certificate for `dnsName` (as its CN and DNS SAN), valid for a day, signed by this CA. */
  issue(dnsName: string): Promise<TestCertificate>;
}

const keyPem = async (key: webcrypto.CryptoKey) => x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
const serial = () => webcrypto.getRandomValues(new Uint8Array(8)).reduce((hex, byte, index) => hex + (index === 0 ? byte & 0x7f : byte).toString(16).padStart(2, "0"), "");
const validity = () => ({ notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) });

export async function createTestCa(name: string): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    ...validity(),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return {
    certPem: cert.toString("pem"),
    keyPem: await keyPem(keys.privateKey),
    async issue(dnsName) {
      const leafKeys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${dnsName}`,
        issuer: cert.subject,
        ...validity(),
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: algorithm,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: "dns", value: dnsName }]),
        ],
      });
      return { certPem: leaf.toString("pem"), keyPem: await keyPem(leafKeys.privateKey) };
    },
  };
}
