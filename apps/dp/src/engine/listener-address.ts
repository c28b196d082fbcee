/**
 * Where a listener binds. Service VIPs (Kuma's 240.0.0.0/4) are not on any interface and, without a transparent
 * proxy (iptables), nothing would reach them; the built-in engine binds such a listener on a loopback alias
 * instead, 127.128.0.0 plus the VIP's offset in 240.0.0.0/4 (kept to its lower 23 bits), which Linux routes to
 * `lo` without configuration. The embedded DNS answers service names with the same alias.
 */
export function bindAddress(address: string): string {
  if (!isVip(address)) return address;
  const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
  const offset = (((a - 240) * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d) % 2 ** 23) + 128 * 2 ** 16;
  return `127.${Math.floor(offset / 2 ** 16)}.${Math.floor(offset / 2 ** 8) % 256}.${offset % 256}`;
}

export function isVip(address: string): boolean {
  const octets = address.split(".").map(Number);
  return octets.length === 4 && octets.every((octet) => Number.isInteger(octet) && octet >= 0 && octet <= 255) && (octets[0] ?? 0) >= 240;
}
