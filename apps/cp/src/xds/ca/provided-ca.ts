import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { MeshBody } from "@zonemesh/resources";
import type { CertificateAuthority } from "./certificate-authority";

/** The `conf` of a Mesh's `provided` mTLS backend: the CA's certificate and key, each from a DataSource. */
export type ProvidedCaConf = Extract<NonNullable<NonNullable<MeshBody["mtls"]>["backends"]>[number], { type: "provided" }>["conf"];
type DataSource = ProvidedCaConf["cert"];

/** A provided CA that cannot be used, with the field of the backend's `conf` at fault. */
export class ProvidedCaError extends Error {
  constructor(
    readonly field: "cert" | "key",
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Reads a mesh Secret's data (base64, as Kuma stores it); undefined when there is no such Secret. */
export type SecretReader = (name: string) => Promise<string | undefined>;

async function resolve(source: DataSource, field: "cert" | "key", readSecret: SecretReader): Promise<string> {
  const given = Object.entries(source).filter(([, value]) => value !== undefined);
  if (given.length !== 1) throw new ProvidedCaError(field, "must set exactly one of secret, file, inline, inlineString");
  if (source.inlineString !== undefined) return source.inlineString;
  if (source.inline !== undefined) return Buffer.from(source.inline, "base64").toString("utf8");
  if (source.file !== undefined) {
    return readFile(source.file, "utf8").catch((error: Error) => {
      throw new ProvidedCaError(field, `file ${source.file} cannot be read on this control plane: ${error.message}`);
    });
  }
  const data = await readSecret(source.secret as string);
  if (data === undefined) throw new ProvidedCaError(field, `Secret "${source.secret}" does not exist in this mesh`);
  return Buffer.from(data, "base64").toString("utf8");
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
