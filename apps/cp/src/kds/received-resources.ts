// What a peer sends over KDS is external input: every resource is checked like a REST write before it is stored.
import { metaErrors, typeByName, validateBody } from "@zonemesh/resources";
import type { KdsResource } from "@zonemesh/kds";
import { z } from "zod";

const labelsSchema = z.record(z.string().min(1), z.string());

/** Throws (which NACKs the response) naming every invalid resource of the delta. */
export function assertValidResources(type: string, resources: readonly KdsResource[]): void {
  const descriptor = typeByName(type);
  if (!descriptor) throw new Error(`unknown resource type "${type}"`);
  const problems: string[] = [];
  for (const resource of resources) {
    const errors = metaErrors({ name: resource.name, mesh: resource.mesh }, descriptor.scope, type);
    if (!labelsSchema.safeParse(resource.labels).success) errors.push({ field: "labels", reason: "must map non-empty keys to strings" });
    const body = validateBody(type, resource.body);
    if (!body.ok) errors.push(...body.errors);
    if (errors.length > 0) {
      const where = resource.mesh ? `${resource.mesh}/${resource.name}` : resource.name;
      problems.push(`${type} "${where}": ${errors.map((e) => `${e.field || "(body)"}: ${e.reason}`).join("; ")}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid resources: ${problems.join(" | ")}`);
}
