import { typeByName } from "@zonemesh/resources";
import { ApiError, formatApiError } from "../api-client";
import { type Command, UsageError } from "../command";
import { describeResource, readDocuments } from "../documents";
import { resolveType, resourcePath } from "../resource-type";

export const deleteCommand: Command = {
  name: "delete",
  usage: "zmctl delete TYPE NAME [-m MESH]\n       zmctl delete -f FILE   (the resources a file describes)",
  options: {
    mesh: { type: "string", short: "m", default: "default" },
    file: { type: "string", short: "f", multiple: true },
  },
  async run(context) {
    const { client, positionals, values, stdout, stderr } = context;
    const files = values.file as string[] | undefined;
    if (!files) {
      const [typeName, name, ...extra] = positionals;
      if (!typeName || !name || extra.length) throw new UsageError("expected TYPE and NAME");
      const type = resolveType(typeName);
      const mesh = type.scope === "Mesh" ? (values.mesh as string) : "";
      await client.request("DELETE", resourcePath(type, mesh, name));
      stdout(`${describeResource({ type: type.name, mesh, name })} deleted\n`);
      return 0;
    }
    if (positionals.length) throw new UsageError("give either -f FILE or TYPE NAME, not both");
    const documents = await readDocuments(files, context);
    if (!documents) return 1;
    // Meshes last: deleting one deletes what is inside it.
    const ordered = [...documents.filter((d) => d.resource.type !== "Mesh"), ...documents.filter((d) => d.resource.type === "Mesh")];
    let failed = 0;
    for (const { origin, resource } of ordered) {
      try {
        await client.request("DELETE", resourcePath(typeByName(resource.type)!, resource.mesh, resource.name));
        stdout(`${describeResource(resource)} deleted\n`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        stderr(`${origin} (${describeResource(resource)}): ${formatApiError(error)}`);
      }
    }
    return failed ? 1 : 0;
  },
};
