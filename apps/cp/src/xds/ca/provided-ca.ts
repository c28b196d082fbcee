import { X509Certificate, createPrivateKey } from "node:crypto";
import type { DataSource, MeshBody } from "@zonemesh/resources";
import { DataSourceError, readDataSource, type SecretReader } from "../data-source";
import type { CertificateAuthority } from "./certificate-authority";

/** The `conf` of a Mesh's `provided` mTLS backend: the CA's certificate and key, each from a DataSource. */
export type ProvidedCaConf = Extract<NonNullable<NonNullable<MeshBody["mtls"]>["backends"]>[number], { type: "provided" }>["conf"];

/** A provided CA that cannot be used, with the field of the backend's `conf` at fault. */
export class ProvidedCaError extends Error {
  constructor(
    readonly field: "cert" | "key",
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

async function resolve(source: DataSource, field: "cert" | "key", readSecret: SecretReader): Promise<string> {
  return readDataSource(source, readSecret).catch((error: Error) => {
    throw error instanceof DataSourceError ? new ProvidedCaError(field, error.message) : error;
  });
}

/**
 * A provided backend's CA, checked as Kuma checks it: a CA certificate (basic constraints CA:true), an RSA key (the
 * proxy certificates are signed as the builtin CA signs them), and the key is the certificate's.
 */
export async function loadProvidedCa(conf: ProvidedCaConf, readSecret: SecretReader): Promise<CertificateAuthority> {
  const [certPem, keyPem] = await Promise.all([resolve(conf.cert, "cert", readSecret), resolve(conf.key, "key", readSecret)]);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw new ProvidedCaError("cert", `is not a PEM certificate (${(error as Error).message})`);
  }
  if (!cert.ca) throw new ProvidedCaError("cert", `the certificate of subject "${(cert.subject ?? "").replace(/\n/g, ", ")}" is not a CA certificate (basic constraints CA:true)`);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new ProvidedCaError("key", `is not a PEM private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== "rsa") throw new ProvidedCaError("key", `is an ${key.asymmetricKeyType} key; a provided CA key must be RSA`);
  if (!cert.checkPrivateKey(key)) throw new ProvidedCaError("key", "is not the key of the certificate");
  // Only the certificate and the key: a Secret may hold both (Kuma's docs use one for cert and key), and the
  // certificate is served to every proxy as the mesh CA.
  return { certPem: cert.toString(), keyPem: key.export({ type: "pkcs8", format: "pem" }) as string };
}
