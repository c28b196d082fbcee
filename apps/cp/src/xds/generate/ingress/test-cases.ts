// Loads the zone ingress cases of ../testdata (`*.ingress.yaml`): a header document, then Kuma resources.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocuments, parseResource, type DataplaneBody, type MeshBody, type PolicyResource, type Resource, type ZoneIngressBody } from "@zonemesh/resources";
import { testdataDir } from "../test-cases";
import type { IngressInput } from "./input";

interface IngressCaseHeader {
  /** The ZoneIngress to generate for. */
  ingress: string;
  localZone: string;
}

export function loadIngressCase(file: string): IngressInput {
  const parsed = parseDocuments(readFileSync(join(testdataDir, file), "utf8"));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  const [header, ...documents] = parsed.documents as [IngressCaseHeader, ...unknown[]];
  const resources = documents.map((document, index) => {
    const result = parseResource(document);
    if (!result.ok) throw new Error(`${file} document ${index + 1}: ${JSON.stringify(result.errors)}`);
    return result.resource;
  });
  const ofType = <B extends object>(type: string) => resources.filter((resource) => resource.type === type) as Resource<B>[];
  const ingress = ofType<ZoneIngressBody>("ZoneIngress").find((candidate) => candidate.name === header.ingress);
  if (!ingress) throw new Error(`${file}: no ZoneIngress ${header.ingress}`);
  return {
    ingress,
    meshes: ofType<MeshBody>("Mesh"),
    dataplanes: ofType<DataplaneBody>("Dataplane"),
    localZone: header.localZone,
    policies: resources.filter((resource) => resource.type.startsWith("Mesh") && resource.type !== "Mesh") as PolicyResource[],
  };
}

export const ingressCaseFiles = () => readdirSync(testdataDir).filter((file) => file.endsWith(".ingress.yaml")).sort();
