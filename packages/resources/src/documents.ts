import { LineCounter, parseAllDocuments } from "yaml";
import type { FieldError } from "./validation/field-error";

/**
 * Splits YAML or JSON text (JSON is YAML) into its `---`-separated documents.
 * Syntax errors name the document and carry line/column in the reason; empty documents are skipped.
 */
export function parseDocuments(text: string): { ok: true; documents: unknown[] } | { ok: false; errors: FieldError[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(parsed) ? parsed : [];
  const errors: FieldError[] = [];
  list.forEach((document, index) => {
    for (const error of document.errors) {
      const position = lineCounter.linePos(error.pos[0]);
      const where = `line ${position.line}, column ${position.col}: `;
      errors.push({ field: `documents[${index}]`, reason: `${where}${error.message.split("\n")[0]}` });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  const documents = list.map((document) => document.toJS() as unknown).filter((document) => document !== null && document !== undefined);
  return { ok: true, documents };
}
