import { DISPLAY_NAME_LABEL, ZONE_TAG, describeSpiffeIdMatches } from "@zonemesh/resources";
import { ApiError, fetchAs, type ApiClient } from "../api-client";
import { type Command, UsageError } from "../command";
import { alignColumns, formatValue } from "../output";
import { resolveType, resourcePath } from "../resource-type";
import { type Meta, type PolicyRules, dataplanePoliciesSchema, dataplaneRulesSchema, pageSchema, selectedDataplanesSchema } from "../responses";

const matcherText = (matchers: { key: string; value: string }[]) => (matchers.length ? matchers.map((m) => `${m.key}=${m.value}`).join(",") : "*");
const origins = (origin: Meta[]) => origin.map((o) => o.name).join(",");

function rulesTable(rules: PolicyRules[]): string {
  const rows = [["TYPE", "DIRECTION", "MATCH", "CONF", "FROM POLICIES"]];
  for (const r of rules) {
    for (const rule of r.toRules) rows.push([r.type, "to", matcherText(rule.matchers), JSON.stringify(rule.conf), origins(rule.origin)]);
    for (const inbound of r.fromRules) {
      for (const rule of inbound.rules) rows.push([r.type, `from :${inbound.inbound.port}`, matcherText(rule.matchers), JSON.stringify(rule.conf), origins(rule.origin)]);
    }
    for (const rule of r.inboundRules) rows.push([r.type, `inbound :${rule.inbound.port}`, "*", JSON.stringify(rule.conf), origins(rule.origin)]);
    for (const inbound of r.inboundMatchedRules) {
      for (const rule of inbound.rules) rows.push([r.type, `inbound :${inbound.inbound.port}`, describeSpiffeIdMatches(rule.matches), JSON.stringify(rule.conf), origins(rule.origin)]);
    }
    for (const rule of r.singleItemRules) rows.push([r.type, "proxy", "*", JSON.stringify(rule.conf), origins(rule.origin)]);
  }
  return alignColumns(rows);
}

/**
 * The stored name of a dataplane given by the name it has in its zone: a global CP stores a zone's dataplane under a
 * zone-scoped name, with the zone's name in the `kuma.io/display-name` label (as Kuma does).
 */
async function storedDataplaneName(client: ApiClient, mesh: string, name: string): Promise<string> {
  const dataplanes = `/meshes/${encodeURIComponent(mesh)}/dataplanes`;
  try {
    await client.request("GET", `${dataplanes}/${encodeURIComponent(name)}`);
    return name;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const { items } = await fetchAs(client, pageSchema, `${dataplanes}?size=100&${encodeURIComponent(`filter[labels.${DISPLAY_NAME_LABEL}]`)}=${encodeURIComponent(name)}`);
  if (items.length === 1) return items[0]!.name;
  if (items.length > 1) {
    const candidates = items.map((item) => `${item.name} (zone ${item.labels?.[ZONE_TAG] ?? "unknown"})`).join(", ");
    throw new UsageError(`dataplane "${name}" is in several zones: ${candidates}; name one of them`);
  }
  return name;
}

export const inspectCommand: Command = {
  name: "inspect",
  usage: "zmctl inspect dataplane NAME [-m MESH] [-o table|yaml|json]\n       zmctl inspect policy TYPE NAME [-m MESH] [-o table|yaml|json]",
  options: {
    mesh: { type: "string", short: "m", default: "default" },
    output: { type: "string", short: "o", default: "table" },
  },
  async run({ client, positionals, values, stdout }) {
    const [what, ...rest] = positionals;
    const mesh = values.mesh as string;
    const format = values.output as string;
    if (!["table", "yaml", "json"].includes(format)) throw new UsageError("-o must be one of table, yaml, json");
    if (what === "dataplane" && rest.length === 1) {
      const base = `/meshes/${encodeURIComponent(mesh)}/dataplanes/${encodeURIComponent(await storedDataplaneName(client, mesh, rest[0]!))}`;
      const [{ items }, { rules }] = await Promise.all([
        fetchAs(client, dataplanePoliciesSchema, `${base}/_policies`),
        fetchAs(client, dataplaneRulesSchema, `${base}/_rules`),
      ]);
      if (format !== "table") {
        stdout(formatValue({ policies: items, rules }, format as "yaml" | "json"));
        return 0;
      }
      stdout(`Policies selecting dataplane "${rest[0]}" (in merge order):\n`);
      stdout(items.length ? alignColumns([["TYPE", "NAME"], ...items.map((p) => [p.type, p.name])]) : "  none\n");
      stdout("\nRules:\n");
      stdout(rulesTable(rules));
      return 0;
    }
    if (what === "policy" && rest.length === 2) {
      const type = resolveType(rest[0]!);
      if (!type.isPolicy) throw new UsageError(`${type.name} is not a policy type`);
      const { items, total } = await fetchAs(client, selectedDataplanesSchema, `${resourcePath(type, mesh, rest[1]!)}/_resources/dataplanes?size=1000`);
      if (format !== "table") {
        stdout(formatValue({ total, dataplanes: items }, format as "yaml" | "json"));
        return 0;
      }
      stdout(`${type.name} "${rest[1]}" selects ${total} dataplane${total === 1 ? "" : "s"}:\n`);
      if (items.length) stdout(alignColumns([["MESH", "NAME"], ...items.map((d) => [d.mesh, d.name])]));
      return 0;
    }
    throw new UsageError("expected `inspect dataplane NAME` or `inspect policy TYPE NAME`");
  },
};
