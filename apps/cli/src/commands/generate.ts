import { type Command, type CommandContext, UsageError, requireString } from "../command";

const tokenKinds: Record<string, { path: string; body(values: CommandContext["values"]): unknown }> = {
  "dataplane-token": {
    path: "/tokens/dataplane",
    body: (v) => ({ mesh: requireString(v, "mesh"), name: v.name, tags: parseTags(v.tag as string[] | undefined), validFor: v["valid-for"] }),
  },
  "zone-token": {
    path: "/tokens/zone",
    body: (v) => ({ zone: requireString(v, "zone"), scope: v.scope, validFor: v["valid-for"] }),
  },
  "zone-ingress-token": {
    path: "/tokens/zone-ingress",
    body: (v) => ({ zone: requireString(v, "zone"), validFor: v["valid-for"] }),
  },
  "admin-token": {
    path: "/tokens/user",
    body: (v) => ({ name: requireString(v, "name"), validFor: v["valid-for"] }),
  },
};

/** `--tag kuma.io/service=web` (repeatable) to Kuma's `{tag: [values]}`. */
function parseTags(tags: string[] | undefined): Record<string, string[]> | undefined {
  if (!tags?.length) return undefined;
  const result: Record<string, string[]> = {};
  for (const tag of tags) {
    const at = tag.indexOf("=");
    if (at <= 0) throw new UsageError(`--tag must be KEY=VALUE, got "${tag}"`);
    (result[tag.slice(0, at)] ??= []).push(tag.slice(at + 1));
  }
  return result;
}

export const generateCommand: Command = {
  name: "generate",
  usage:
    "zmctl generate dataplane-token --mesh MESH [--name NAME] [--tag KEY=VALUE]... [--valid-for 24h]\n" +
    "       zmctl generate zone-token --zone ZONE [--scope cp|ingress|egress]... [--valid-for 24h]\n" +
    "       zmctl generate zone-ingress-token --zone ZONE [--valid-for 24h]\n" +
    "       zmctl generate admin-token --name NAME [--valid-for 24h]",
  options: {
    mesh: { type: "string", short: "m" },
    name: { type: "string" },
    tag: { type: "string", multiple: true },
    zone: { type: "string" },
    scope: { type: "string", multiple: true },
    "valid-for": { type: "string", default: "24h" },
  },
  async run({ client, positionals, values, stdout }) {
    const kind = tokenKinds[positionals[0] ?? ""];
    if (!kind || positionals.length !== 1) throw new UsageError(`generate what? one of ${Object.keys(tokenKinds).join(", ")}`);
    const { body } = await client.request("POST", kind.path, kind.body(values));
    stdout(`${String(body).trim()}\n`);
    return 0;
  },
};
