import { readFile } from "node:fs/promises";
import type { DataSource } from "@zonemesh/resources";

/** Reads a mesh Secret's data (base64, as Kuma stores it); undefined when there is no such Secret. */
export type SecretReader = (name: string) => Promise<string | undefined>;

/** A DataSource that names nothing usable; the message is the reason, for the caller to put its field before. */
export class DataSourceError extends Error {}

/** The text a Kuma DataSource holds: exactly one of a mesh Secret, a file on this control plane, inline or inlineString. */
export async function readDataSource(source: DataSource, readSecret: SecretReader): Promise<string> {
  const given = Object.entries(source).filter(([, value]) => value !== undefined);
  if (given.length !== 1) throw new DataSourceError("must set exactly one of secret, file, inline, inlineString");
  if (source.inlineString !== undefined) return source.inlineString;
  if (source.inline !== undefined) return Buffer.from(source.inline, "base64").toString("utf8");
  if (source.file !== undefined) {
    return readFile(source.file, "utf8").catch((error: Error) => {
      throw new DataSourceError(`file ${source.file} cannot be read on this control plane: ${error.message}`);
    });
  }
  const data = await readSecret(source.secret as string);
  if (data === undefined) throw new DataSourceError(`Secret "${source.secret}" does not exist in this mesh`);
  return Buffer.from(data, "base64").toString("utf8");
}
