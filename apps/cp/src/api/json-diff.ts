// Field-level differences between two JSON values, for the policy editor's dry run.

export interface JsonChange {
  /** Same notation as validation errors: `spec.from[0].default.action`. */
  path: string;
  op: "add" | "remove" | "replace";
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function jsonDiff(before: unknown, after: unknown, path = ""): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in after)) return [{ path: child, op: "remove" as const, from: before[key] }];
      if (!(key in before)) return [{ path: child, op: "add" as const, to: after[key] }];
      return jsonDiff(before[key], after[key], child);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const child = `${path}[${i}]`;
      if (i >= after.length) changes.push({ path: child, op: "remove", from: before[i] });
      else if (i >= before.length) changes.push({ path: child, op: "add", to: after[i] });
      else changes.push(...jsonDiff(before[i], after[i], child));
    }
    return changes;
  }
  return Object.is(before, after) ? [] : [{ path, op: "replace", from: before, to: after }];
}
