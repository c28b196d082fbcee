import { readFile } from "node:fs/promises";
import { type Resource, parseDocuments, parseResource } from "@zonemesh/resources";
import type { CommandContext } from "./command";

export interface Document {
  /** Where it came from, for messages: `file.yaml: document 2`. */
  origin: string;
  wire: Record<string, unknown>;
  resource: Resource;
}

/** Parses and validates every document of every file; problems are printed, one `origin: field: reason` line each. */
export async function readDocuments(files: string[], { readStdin, stderr }: CommandContext): Promise<Document[] | null> {
  const documents: Document[] = [];
  let valid = true;
  for (const file of files) {
    const name = file === "-" ? "<stdin>" : file;
    let text: string;
    try {
      text = file === "-" ? await readStdin() : await readFile(file, "utf8");
    } catch (error) {
      stderr(`${name}: cannot read: ${(error as Error).message}\n`);
      valid = false;
      continue;
    }
    const parsed = parseDocuments(text);
    if (!parsed.ok) {
      for (const e of parsed.errors) stderr(`${name}: ${e.field}: ${e.reason}\n`);
      valid = false;
      continue;
    }
    parsed.documents.forEach((wire, index) => {
      const origin = `${name}: document ${index + 1}`;
      const result = parseResource(wire);
      if (!result.ok) {
        for (const e of result.errors) stderr(`${origin}: ${e.field || "(document)"}: ${e.reason}\n`);
        valid = false;
        return;
      }
      documents.push({ origin, wire: wire as Record<string, unknown>, resource: result.resource });
    });
  }
  return valid ? documents : null;
}

export const describeResource = (r: Pick<Resource, "type" | "mesh" | "name">) => `${r.type} "${r.name}"${r.mesh ? ` in mesh "${r.mesh}"` : ""}`;
