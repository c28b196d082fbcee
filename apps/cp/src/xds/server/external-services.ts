import { X509Certificate, createPrivateKey } from "node:crypto";
import type { DataSource } from "@zonemesh/resources";
import { readDataSource, type SecretReader } from "../data-source";
import type { ExternalServiceInput, ExternalServiceResource } from "../generate/index";

type PemField = "caCert" | "clientCert" | "clientKey";

async function readPem(field: PemField, source: DataSource, readSecret: SecretReader): Promise<string> {
  const path = `networking.tls.${field}`;
  const text = await readDataSource(source, readSecret).catch((error: Error) => {
    throw new Error(`${path}: ${error.message}`);
  });
  try {
    if (field === "clientKey") createPrivateKey(text);
    else new X509Certificate(text);
  } catch (error) {
    throw new Error(`${path}: is not a PEM ${field === "clientKey" ? "private key" : "certificate"} (${(error as Error).message})`);
  }
  return text;
}

/**
 * The ExternalServices with their TLS DataSources read (mesh Secrets, files on this CP, inline), each checked to be
 * PEM. One that cannot be read carries the reason instead: generation leaves it out and warns, the rest go on.
 */
export async function readExternalServices(resources: ExternalServiceResource[], readSecret: SecretReader): Promise<ExternalServiceInput[]> {
  return Promise.all(
    resources.map(async (resource): Promise<ExternalServiceInput> => {
      const tls = resource.body.networking.tls;
      if (!tls?.enabled) return { resource };
      try {
        const [caPem, certPem, keyPem] = await Promise.all(
          (["caCert", "clientCert", "clientKey"] as const).map((field) => (tls[field] ? readPem(field, tls[field], readSecret) : undefined)),
        );
        return { resource, tls: { ...(caPem ? { caPem } : {}), ...(certPem ? { certPem } : {}), ...(keyPem ? { keyPem } : {}) } };
      } catch (error) {
        return { resource, problem: (error as Error).message };
      }
    }),
  );
}
