import type { FastifyInstance } from "fastify";
import { parseDocuments } from "@zonemesh/resources";
import { badRequest } from "./problem";

export const yamlContentTypes = ["application/yaml", "application/x-yaml", "text/yaml"];

/** JSON and YAML request bodies; syntax errors become 400 problems naming the position instead of fastify's generic error. */
export function registerBodyParsers(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    try {
      done(null, parseJson(text as string));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser(yamlContentTypes, { parseAs: "string" }, (_request, text, done) => {
    try {
      done(null, parseYaml(text as string));
    } catch (error) {
      done(error as Error);
    }
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") throw badRequest("the request body is empty", [{ field: "body", reason: "must not be empty" }]);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest("the request body is not valid JSON", [{ field: "body", reason: (error as Error).message }]);
  }
}

function parseYaml(text: string): unknown {
  const parsed = parseDocuments(text);
  if (!parsed.ok) throw badRequest("the request body is not valid YAML", parsed.errors.map((e) => ({ field: "body", reason: e.reason })));
  if (parsed.documents.length !== 1) {
    throw badRequest("the request body must hold exactly one YAML document", [
      { field: "body", reason: `found ${parsed.documents.length} documents; send one resource per request` },
    ]);
  }
  return parsed.documents[0];
}
