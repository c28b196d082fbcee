import { typeByName } from "@zonemesh/resources";
import { ApiError, formatApiError } from "../api-client";
import { type Command, UsageError } from "../command";
import { describeResource, readDocuments } from "../documents";
import { resourcePath } from "../resource-type";

export const applyCommand: Command = {
  name: "apply",
  usage: "zmctl apply -f FILE|- [-f FILE]... [--if-version N]   (YAML or JSON, several documents per file)",
  options: {
    file: { type: "string", short: "f", multiple: true },
    "if-version": { type: "string" },
  },
  async run(context) {
    const files = (context.values.file as string[] | undefined) ?? [];
    if (files.length === 0 || context.positionals.length) throw new UsageError("give the resources with -f FILE (or -f - for stdin)");
    const ifVersion = context.values["if-version"] as string | undefined;
    if (ifVersion !== undefined && !/^[1-9]\d*$/.test(ifVersion)) throw new UsageError("--if-version must be a version number such as 3");
    const documents = await readDocuments(files, context);
    if (!documents) {
      context.stderr("nothing applied: fix the errors above\n");
      return 1;
    }
    if (ifVersion !== undefined && documents.length !== 1) throw new UsageError("--if-version applies to exactly one resource");
    // Meshes first so that resources in a mesh created by the same apply find it.
    const ordered = [...documents.filter((d) => d.resource.type === "Mesh"), ...documents.filter((d) => d.resource.type !== "Mesh")];
    let failed = 0;
    for (const { origin, wire, resource } of ordered) {
      const path = resourcePath(typeByName(resource.type)!, resource.mesh, resource.name);
      try {
        const { status } = await context.client.request("PUT", path, wire, ifVersion ? { "if-match": `"${ifVersion}"` } : {});
        context.stdout(`${describeResource(resource)} ${status === 201 ? "created" : "updated"}\n`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        context.stderr(`${origin} (${describeResource(resource)}): ${formatApiError(error)}`);
      }
    }
    if (failed) context.stderr(`${failed} of ${ordered.length} resources failed\n`);
    return failed ? 1 : 0;
  },
};
