// Loads the zone ingress cases of ../testdata (`*.ingress.yaml`): a header document, then Kuma resources.
import { readdirSync } from "node:fs";
import type { DataplaneBody, MeshBody, PolicyResource, ZoneIngressBody } from "@zonemesh/resources";
import { readCaseFile, testdataDir } from "../test-cases";
import type { IngressInput } from "./input";

interface IngressCaseHeader {
  /** The ZoneIngress to generate for. */
  ingress: string;
  localZone: string;
}

export function loadIngressCase(file: string): IngressInput {
  const { header, resources, ofType } = readCaseFile<IngressCaseHeader>(file);
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
