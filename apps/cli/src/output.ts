import { describeTargetRef } from "@zonemesh/resources";
import { stringify } from "yaml";
import type { WireResource } from "./responses";

export const outputFormats = ["table", "yaml", "json"] as const;
export type OutputFormat = (typeof outputFormats)[number];


/** A list: JSON `{total, items}`, YAML documents, or a table. */
export function formatResources(resources: WireResource[], format: OutputFormat, now = new Date()): string {
  if (format === "json") return JSON.stringify({ total: resources.length, items: resources }, null, 2) + "\n";
  if (format === "yaml") return resources.map((r) => stringify(r)).join("---\n");
  return table(resources, now);
}

/** One resource as the API returns it, or a one-row table. */
export function formatResource(resource: WireResource, format: OutputFormat, now = new Date()): string {
  return format === "table" ? table([resource], now) : formatValue(resource, format);
}

export function formatValue(value: unknown, format: Exclude<OutputFormat, "table">): string {
  return format === "yaml" ? stringify(value) : JSON.stringify(value, null, 2) + "\n";
}

function table(resources: WireResource[], now: Date): string {
  const mixed = new Set(resources.map((r) => r.type)).size > 1;
  const meshScoped = resources.some((r) => r.mesh);
  const policies = resources.some((r) => r.spec?.targetRef);
  const header = [...(mixed ? ["TYPE"] : []), ...(meshScoped ? ["MESH"] : []), "NAME", ...(policies ? ["TARGETREF"] : []), "LABELS", "AGE"];
  const rows = resources.map((r) => [
    ...(mixed ? [r.type] : []),
    ...(meshScoped ? [r.mesh ?? ""] : []),
    r.name,
    ...(policies ? [targetRef(r)] : []),
    Object.entries(r.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(",") || "-",
    r.creationTime ? age(new Date(r.creationTime), now) : "-",
  ]);
  return alignColumns([header, ...rows]);
}

export function alignColumns(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("   ").trimEnd()).join("\n") + "\n";
}

export function targetRef(resource: WireResource): string {
  const ref = resource.spec?.targetRef;
  return ref?.kind ? describeTargetRef(ref) : "-";
}

function age(created: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - created.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
