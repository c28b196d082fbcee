import { z } from "zod";
import { dataplaneBody, formatFieldPath, parseDocuments, zoneIngressBody } from "@zonemesh/resources";

export type ProxyType = "dataplane" | "ingress";

/** The resource the proxy registers, in Kuma's wire form ({type, mesh, name, labels, ...body}). */
export interface ProxyDocument {
  type: "Dataplane" | "ZoneIngress";
  mesh: string;
  name: string;
  wire: Record<string, unknown>;
}

const meta = z.object({
  type: z.enum(["Dataplane", "ZoneIngress"]),
  mesh: z.string().min(1).optional(),
  name: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
});

const metaFields = new Set(["type", "mesh", "name", "labels", "creationTime", "modificationTime"]);

/** Parses and validates the `--dataplane` YAML; errors name the field. */
export function parseProxyDocument(text: string, proxyType: ProxyType): ProxyDocument {
  const parsed = parseDocuments(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((error) => `${error.field}: ${error.reason}`).join("; "));
  if (parsed.documents.length !== 1) throw new Error(`expected one YAML document, got ${parsed.documents.length}`);
  const document = parsed.documents[0] as Record<string, unknown>;
  const head = meta.safeParse(document);
  if (!head.success) throw new Error(head.error.issues.map((issue) => `${formatFieldPath(issue.path as (string | number)[])}: ${issue.message}`).join("; "));
  const expected = proxyType === "ingress" ? "ZoneIngress" : "Dataplane";
  if (head.data.type !== expected) throw new Error(`type: --proxy-type ${proxyType} needs a ${expected}, got ${head.data.type}`);
  if (expected === "ZoneIngress" && head.data.mesh !== undefined) throw new Error("mesh: a ZoneIngress belongs to no mesh (it serves every mesh of its zone)");
  const body = Object.fromEntries(Object.entries(document).filter(([key]) => !metaFields.has(key)));
  const checked = (expected === "Dataplane" ? dataplaneBody : zoneIngressBody).safeParse(body);
  if (!checked.success) throw new Error(checked.error.issues.map((issue) => `${formatFieldPath(issue.path as (string | number)[])}: ${issue.message}`).join("; "));
  const mesh = expected === "Dataplane" ? (head.data.mesh ?? "default") : "";
  return { type: expected, mesh, name: head.data.name, wire: { type: expected, ...(mesh ? { mesh } : {}), name: head.data.name, labels: head.data.labels ?? {}, ...body } };
}

/** The xDS node id the zone CP expects: `<mesh>.<name>`, for a ZoneIngress (no mesh) `.<name>`, as kuma-dp sends. */
export const nodeIdOf = (document: ProxyDocument) => `${document.mesh}.${document.name}`;
