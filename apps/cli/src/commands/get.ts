import type { ResourceTypeDescriptor } from "@zonemesh/resources";
import { type ApiClient, fetchAs } from "../api-client";
import { type Command, UsageError } from "../command";
import { readDocuments } from "../documents";
import { type OutputFormat, formatResource, formatResources, outputFormats } from "../output";
import { type WireResource, pageSchema, wireResourceSchema } from "../responses";
import { resolveType, resourcePath } from "../resource-type";

const pageSize = 1000;

async function listAll(client: ApiClient, type: ResourceTypeDescriptor, mesh: string): Promise<WireResource[]> {
  const items: WireResource[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetchAs(client, pageSchema, `${resourcePath(type, mesh)}?size=${pageSize}&offset=${offset}`);
    items.push(...page.items);
    if (!page.next) return items;
  }
}

async function getOne(client: ApiClient, type: ResourceTypeDescriptor, mesh: string, name: string): Promise<WireResource> {
  return fetchAs(client, wireResourceSchema, resourcePath(type, mesh, name));
}

export const getCommand: Command = {
  name: "get",
  usage: "zmctl get TYPE[,TYPE...] [NAME] [-m MESH] [-o table|yaml|json]\n       zmctl get -f FILE [-o table|yaml|json]   (the resources a file describes)",
  options: {
    mesh: { type: "string", short: "m", default: "default" },
    output: { type: "string", short: "o", default: "table" },
    file: { type: "string", short: "f", multiple: true },
  },
  async run(context) {
    const { client, positionals, values, stdout } = context;
    const format = values.output as OutputFormat;
    if (!outputFormats.includes(format)) throw new UsageError(`-o must be one of ${outputFormats.join(", ")}`);
    const mesh = values.mesh as string;
    const files = values.file as string[] | undefined;
    let resources: WireResource[];
    if (files) {
      if (positionals.length) throw new UsageError("give either -f FILE or TYPE [NAME], not both");
      const documents = await readDocuments(files, context);
      if (!documents) return 1;
      resources = await Promise.all(documents.map(({ resource: r }) => getOne(client, resolveType(r.type), r.mesh, r.name)));
    } else {
      const [typeList, name, ...extra] = positionals;
      if (!typeList || extra.length) throw new UsageError("expected TYPE and at most one NAME");
      const types = typeList.split(",").map(resolveType);
      if (name !== undefined && types.length > 1) throw new UsageError("NAME needs a single TYPE");
      if (name !== undefined) {
        stdout(formatResource(await getOne(client, types[0]!, mesh, name), format));
        return 0;
      }
      resources = (await Promise.all(types.map((type) => listAll(client, type, mesh)))).flat();
      if (resources.length === 0 && format === "table") {
        stdout(`no ${types.map((t) => t.plural).join(", ")} found\n`);
        return 0;
      }
    }
    stdout(formatResources(resources, format));
    return 0;
  },
};
