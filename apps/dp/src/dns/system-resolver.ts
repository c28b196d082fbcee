import { readFileSync } from "node:fs";

/** The first nameserver of /etc/resolv.conf (what the system resolver asks), port 53. */
export function systemResolver(path = "/etc/resolv.conf"): { host: string; port: number } {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // No resolv.conf: fall back to the local resolver address glibc itself assumes.
  }
  const nameserver = /^\s*nameserver\s+(\S+)/m.exec(text)?.[1];
  return { host: nameserver ?? "127.0.0.1", port: 53 };
}
