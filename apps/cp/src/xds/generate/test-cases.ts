// Loads the golden test cases of testdata/: one YAML file each, a header document then Kuma resources.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SERVICE_TAG, parseDocuments, parseResource, type DataplaneBody, type ExternalServiceBody, type MeshBody, type PolicyResource, type Resource, type ZoneIngressBody } from "@zonemesh/resources";
import type { ExternalServiceInput, GenerateInput } from "./input";
import { allocateVips } from "./vips";

export const testdataDir = join(import.meta.dirname, "testdata");

interface CaseHeader {
  /** The Dataplane to generate for. */
  proxy: string;
  localZone: string;
  proxyless?: boolean;
  /** The admin port the proxy reports in its node metadata. */
  adminPort?: number;
}

function fakePem(kind: string, content: string): string {
  return `-----BEGIN ${kind}-----\n${Buffer.from(content).toString("base64")}\n-----END ${kind}-----\n`;
}

/** A case file of testdata/: its header document, its Kuma resources (validated) and a filter by type. */
export function readCaseFile<Header>(file: string) {
  const parsed = parseDocuments(readFileSync(join(testdataDir, file), "utf8"));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  const [header, ...documents] = parsed.documents as [Header, ...unknown[]];
  const resources = documents.map((document, index) => {
    const result = parseResource(document);
    if (!result.ok) throw new Error(`${file} document ${index + 1}: ${JSON.stringify(result.errors)}`);
    return result.resource;
  });
  const ofType = <B extends object>(type: string) => resources.filter((resource) => resource.type === type) as Resource<B>[];
  return { header, resources, ofType };
}

export function loadCase(file: string): GenerateInput {
  const { header, resources, ofType } = readCaseFile<CaseHeader>(file);
  const mesh = ofType<MeshBody>("Mesh")[0];
  if (!mesh) throw new Error(`${file}: no Mesh`);
  const dataplanes = ofType<DataplaneBody>("Dataplane");
  const dataplane = dataplanes.find((candidate) => candidate.name === header.proxy);
  if (!dataplane) throw new Error(`${file}: no Dataplane ${header.proxy}`);
  const zoneIngresses = ofType<ZoneIngressBody>("ZoneIngress");
  // A case gives an ExternalService's TLS material as inlineString: what the CP reads from Secrets and files.
  const externalServices = ofType<ExternalServiceBody>("ExternalService").map((resource): ExternalServiceInput => {
    const tls = resource.body.networking.tls;
    const pems = { caPem: tls?.caCert?.inlineString, certPem: tls?.clientCert?.inlineString, keyPem: tls?.clientKey?.inlineString };
    return { resource, ...(tls?.enabled ? { tls: Object.fromEntries(Object.entries(pems).filter(([, pem]) => pem !== undefined)) } : {}) };
  });
  const services = [
    ...externalServices.map(({ resource }) => resource.body.tags[SERVICE_TAG] as string),
    ...dataplanes.flatMap((candidate) => (candidate.body.networking.inbound ?? []).map((inbound) => inbound.tags[SERVICE_TAG] as string)),
    ...zoneIngresses.flatMap((ingress) => (ingress.body.availableServices ?? []).map((available) => available.tags[SERVICE_TAG] as string)),
  ];
  return {
    dataplane,
    mesh: { ...mesh.body, name: mesh.name },
    dataplanes,
    zoneIngresses,
    ...(externalServices.length > 0 ? { externalServices } : {}),
    policies: resources.filter((resource) => resource.type.startsWith("Mesh") && resource.type !== "Mesh") as PolicyResource[],
    vips: allocateVips(services),
    localZone: header.localZone,
    ...(header.proxyless ? { proxyless: true } : {}),
    ...(header.adminPort ? { adminPort: header.adminPort } : {}),
    ...(mesh.body.mtls?.enabledBackend
      ? { certificates: { identity: { certPem: fakePem("CERTIFICATE", `identity of ${header.proxy}`), keyPem: fakePem("PRIVATE KEY", `key of ${header.proxy}`) }, meshCaPem: fakePem("CERTIFICATE", `CA of ${mesh.name}`) } }
      : {}),
  };
}

export const caseFiles = () => readdirSync(testdataDir).filter((file) => file.endsWith(".input.yaml")).sort();
