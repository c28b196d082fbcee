import type { HeaderValueOption } from "@zonemesh/xds";

/** Kuma's header modifier `set` (replace) and `add` (append) lists as Envoy header options. */
export function headerValueOptions(modifier: { set?: { name: string; value: string }[]; add?: { name: string; value: string }[] }): HeaderValueOption[] {
  return [
    ...(modifier.set ?? []).map((header): HeaderValueOption => ({ header: { key: header.name, value: header.value }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" })),
    ...(modifier.add ?? []).map((header): HeaderValueOption => ({ header: { key: header.name, value: header.value } })),
  ];
}
