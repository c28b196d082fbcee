import type { FilterChainMatch } from "@zonemesh/xds";
import type { ConnectionProperties } from "./tls-inspector";

interface ChainCriteria {
  index: number;
  transportProtocol: string;
  applicationProtocols: string[];
}

const transportProtocols = new Set(["", "tls", "raw_buffer"]);

/** `*.example.com` is kept as its suffix `.example.com`, as Envoy keys wildcard names. */
function serverNameKey(name: string, path: string): string {
  if (name === "*") throw new Error(`${path}: "*" is not supported: leave server_names out to match every name`);
  if (name.startsWith("*.") && name.length > 2 && !name.slice(1).includes("*")) return name.slice(1).toLowerCase();
  if (name === "" || name.includes("*")) throw new Error(`${path}: ${JSON.stringify(name)} is not a server name (only a leading "*." wildcard is supported)`);
  return name.toLowerCase();
}

/** Among `candidates`, the most specific one for the connection's protocols (Envoy: transport, then ALPN). */
function byProtocols(candidates: ChainCriteria[], connection: ConnectionProperties): number | undefined {
  const transport = candidates.filter((chain) => chain.transportProtocol === connection.transportProtocol);
  const sameTransport = transport.length > 0 ? transport : candidates.filter((chain) => chain.transportProtocol === "");
  for (const protocol of connection.applicationProtocols) {
    const found = sameTransport.find((chain) => chain.applicationProtocols.includes(protocol));
    if (found) return found.index;
  }
  return sameTransport.find((chain) => chain.applicationProtocols.length === 0)?.index;
}

/**
 * Envoy's filter chain selection over server_names, transport_protocol and application_protocols: at each level the
 * most specific match wins (exact name, then the longest `*.` wildcard, then chains without names) and the next
 * level only looks among those, without going back. Returns the index of the chosen chain, or undefined (the
 * listener then uses its default_filter_chain, if any). Two chains with the same criteria are rejected, as Envoy does.
 */
export function compileFilterChainMatch(matches: readonly (FilterChainMatch | undefined)[], path: string): (connection: ConnectionProperties) => number | undefined {
  const byServerName = new Map<string, ChainCriteria[]>();
  const seen = new Map<string, number>();
  matches.forEach((match, index) => {
    const matchPath = `${path}[${index}].filter_chain_match`;
    const transportProtocol = match?.transport_protocol ?? "";
    if (!transportProtocols.has(transportProtocol)) throw new Error(`${matchPath}.transport_protocol: ${JSON.stringify(transportProtocol)} is not supported ("tls" or "raw_buffer", the values tls_inspector sets)`);
    const applicationProtocols = match?.application_protocols ?? [];
    const names = (match?.server_names ?? []).map((name, nameIndex) => serverNameKey(name, `${matchPath}.server_names[${nameIndex}]`));
    for (const name of names.length > 0 ? names : [""]) {
      for (const protocol of applicationProtocols.length > 0 ? applicationProtocols : [""]) {
        const key = JSON.stringify([name, transportProtocol, protocol]);
        const other = seen.get(key);
        if (other !== undefined && other !== index) throw new Error(`${matchPath}: the same match as ${path}[${other}] (server name ${JSON.stringify(name)}, transport ${JSON.stringify(transportProtocol)}, application protocol ${JSON.stringify(protocol)})`);
        seen.set(key, index);
      }
      const chains = byServerName.get(name) ?? [];
      if (!chains.some((chain) => chain.index === index)) chains.push({ index, transportProtocol, applicationProtocols });
      byServerName.set(name, chains);
    }
  });

  return (connection) => {
    const name = connection.serverName;
    if (name) {
      const exact = byServerName.get(name);
      if (exact) return byProtocols(exact, connection);
      for (let dot = name.indexOf(".", 1); dot !== -1 && dot < name.length - 1; dot = name.indexOf(".", dot + 1)) {
        const wildcard = byServerName.get(name.slice(dot));
        if (wildcard) return byProtocols(wildcard, connection);
      }
    }
    const anyName = byServerName.get("");
    return anyName ? byProtocols(anyName, connection) : undefined;
  };
}
