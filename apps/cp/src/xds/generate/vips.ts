/** Kuma's default range for service VIPs (`KUMA_DNS_SERVER_CIDR`). */
export const defaultVipCidr = "240.0.0.0/4";

function ipv4ToNumber(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4) throw new Error(`${JSON.stringify(ip)} is not an IPv4 address`);
  return parts.reduce((acc, part) => {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`${JSON.stringify(ip)} is not an IPv4 address`);
    return acc * 256 + octet;
  }, 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function parseCidr(cidr: string): { first: number; last: number } {
  const [ip, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 30) throw new Error(`${JSON.stringify(cidr)} is not an IPv4 CIDR with a prefix of at most /30`);
  const size = 2 ** (32 - bits);
  const network = ipv4ToNumber(ip) - (ipv4ToNumber(ip) % size);
  // The network and broadcast addresses are never handed out.
  return { first: network + 1, last: network + size - 2 };
}

/**
 * One VIP per service from `cidr`. Services already in `existing` (and inside the range) keep their VIP;
 * new ones get the lowest free addresses in service-name order, so the result depends only on the inputs.
 * Services absent from `services` are dropped from the result.
 */
export function allocateVips(services: Iterable<string>, cidr: string = defaultVipCidr, existing: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const range = parseCidr(cidr);
  const wanted = [...new Set(services)].sort();
  const result = new Map<string, string>();
  const used = new Set<number>();
  for (const service of wanted) {
    const vip = existing.get(service);
    if (vip === undefined) continue;
    const value = ipv4ToNumber(vip);
    if (value < range.first || value > range.last || used.has(value)) continue;
    used.add(value);
    result.set(service, vip);
  }
  let next = range.first;
  for (const service of wanted) {
    if (result.has(service)) continue;
    while (used.has(next)) next++;
    if (next > range.last) throw new Error(`VIP range ${cidr} is exhausted: cannot allocate a VIP for ${JSON.stringify(service)}`);
    used.add(next);
    result.set(service, numberToIpv4(next));
  }
  return new Map([...result].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
