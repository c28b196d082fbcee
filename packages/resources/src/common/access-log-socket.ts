/**
 * Where a dataplane's proxy writes the entries of MeshAccessLog tcp backends, and where its zonemesh-dp listens to relay
 * them (as Kuma's kuma-al-<name>-<mesh>.sock): one JSON line per entry, {"address": "<host:port>", "message": ...}.
 */
export function accessLogSocketPath(dataplane: string, mesh: string): string {
  return `/tmp/zonemesh-al-${dataplane}-${mesh}.sock`;
}
