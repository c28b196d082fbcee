import type net from "node:net";
import tls from "node:tls";
import { typeNames, type DownstreamTlsContext, type FilterChain, type HttpConnectionManager, type NetworkLocalRateLimit, type NetworkRbac, type TcpProxy } from "@zonemesh/xds";
import { compileConnectionManager, type CompiledConnectionManager, type ConnectionInfo } from "./http/connection-manager";
import { compileRbacRules } from "./rbac";
import type { Runtime } from "./runtime";
import { compileTcpProxy } from "./tcp-proxy";
import { compileTlsParams, compileTlsSecretRefs, peerSans, sansAllowed, tlsMaterialFor, type TlsMaterial, type TlsSecretRefs } from "./tls-context";
import { Tokens } from "./token-bucket";
import { typeNameOf } from "./type-name";

export interface CompiledFilterChain {
  /** Takes over a connection the listener chose this chain for. */
  accept(socket: net.Socket): void;
  drain(): void;
}

/** One filter chain: optional TLS termination (mTLS with SDS secrets), network RBAC and local rate limit, then tcp_proxy or the HTTP connection manager. */
export function compileFilterChain(chain: FilterChain, chainPath: string, listener: { name: string; port: number }, runtime: () => Runtime): CompiledFilterChain {
  /** The network filters before the terminal one, in order: each admits a connection or counts its refusal. */
  const admissions: ((info: ConnectionInfo) => boolean)[] = [];
  let terminal: ((socket: net.Socket, info: ConnectionInfo) => void) | undefined;
  let manager: CompiledConnectionManager | undefined;
  for (const [index, filter] of (chain.filters ?? []).entries()) {
    const filterPath = `${chainPath}.filters[${index}]`;
    if (terminal) throw new Error(`${filterPath}: no filter may follow the terminal ${chain.filters?.[index - 1]?.name}`);
    const typed = filter.typed_config as ({ "@type": string } & object) | undefined;
    switch (typeNameOf(typed)) {
      case typeNames.networkRbac: {
        const config = typed as unknown as NetworkRbac;
        const allowed = compileRbacRules(config.rules);
        // Evaluated and counted, never enforced (MeshTrafficPermission's AllowWithShadowDeny); absent, they allow all.
        const shadowAllowed = compileRbacRules(config.shadow_rules);
        admissions.push((info) => {
          const subject = { peer: info.peer, destinationPort: info.destinationPort };
          if (!shadowAllowed(subject)) runtime().stats.add("rbac_shadow_denied_total", { listener: listener.name });
          if (allowed(subject)) return true;
          runtime().stats.add("rbac_denied_total", { listener: listener.name });
          return false;
        });
        break;
      }
      case typeNames.networkLocalRateLimit: {
        const config = typed as unknown as NetworkLocalRateLimit;
        const tokens = new Tokens(config.token_bucket);
        // New connections past the bucket are closed at once, as Envoy's network local_ratelimit does.
        admissions.push(() => {
          if (tokens.take()) return true;
          runtime().stats.add("network_local_rate_limit_rate_limited_total", { stat_prefix: config.stat_prefix });
          return false;
        });
        break;
      }
      case typeNames.tcpProxy: {
        const proxy = compileTcpProxy(typed as unknown as TcpProxy, filterPath, runtime);
        terminal = (socket) => proxy(socket);
        break;
      }
      case typeNames.httpConnectionManager: {
        const compiled = compileConnectionManager(typed as unknown as HttpConnectionManager, `${filterPath}.typed_config`, runtime);
        manager = compiled;
        terminal = (socket, info) => {
          compiled.handle(socket, info);
          // A socket a listener filter paused (and put its first bytes back into) must flow again for the HTTP parser.
          if (socket.isPaused()) socket.resume();
        };
        break;
      }
      default:
        throw new Error(`${filterPath}: filter ${filter.name} (${typed?.["@type"]}) is not supported`);
    }
  }
  if (!terminal) throw new Error(`${chainPath}: a tcp_proxy or http_connection_manager filter is required`);
  const handOver = terminal;

  const tlsContext = chain.transport_socket?.typed_config as DownstreamTlsContext | undefined;
  const tlsRefs: TlsSecretRefs | undefined = tlsContext ? compileTlsSecretRefs(tlsContext.common_tls_context, `${chainPath}.transport_socket`) : undefined;
  const requireClientCertificate = tlsContext?.require_client_certificate?.value ?? false;
  // Offered in the handshake; the connection manager serves HTTP/2 or HTTP/1.1 as negotiated, and tells them apart itself without.
  const alpnProtocols = tlsContext?.common_tls_context?.alpn_protocols;
  const tlsParams = compileTlsParams(tlsContext?.common_tls_context?.tls_params, `${chainPath}.transport_socket.common_tls_context`);

  const proceed = (socket: net.Socket, info: ConnectionInfo) => {
    if (!admissions.every((admits) => admits(info))) {
      socket.destroy();
      return;
    }
    handOver(socket, info);
  };

  // One tls.Server per identity (a secret rotation brings new material); connections are handed to it.
  const tlsServers = new WeakMap<TlsMaterial, tls.Server>();
  const tlsServerFor = (material: TlsMaterial): tls.Server => {
    const known = tlsServers.get(material);
    if (known) return known;
    const server = tls.createServer({ cert: material.cert, key: material.key, ca: material.ca, requestCert: true, rejectUnauthorized: requireClientCertificate, ...(alpnProtocols ? { ALPNProtocols: alpnProtocols } : {}), ...tlsParams });
    server.on("tlsClientError", (_error, socket) => {
      runtime().stats.add("ssl_handshake_error_total", { listener: listener.name });
      socket.destroy();
    });
    server.on("secureConnection", (secured) => {
      secured.on("error", () => secured.destroy());
      const certificate = secured.getPeerCertificate();
      const sans = certificate && Object.keys(certificate).length > 0 && secured.authorized ? peerSans(certificate) : undefined;
      if ((sans && !sansAllowed(tlsRefs as TlsSecretRefs, sans)) || (requireClientCertificate && !sans)) {
        runtime().stats.add("ssl_fail_verify_san_total", { listener: listener.name });
        secured.destroy();
        return;
      }
      const mtls = sans ? { local: peerSans(secured.getCertificate() as tls.PeerCertificate | null ?? undefined), peer: sans, peerHash: certificate.fingerprint256.replace(/:/g, "").toLowerCase() } : undefined;
      proceed(secured, { peer: sans, destinationPort: listener.port, ...(mtls ? { mtls } : {}) });
    });
    tlsServers.set(material, server);
    return server;
  };

  return {
    accept(raw) {
      if (!tlsRefs) return proceed(raw, { peer: undefined, destinationPort: listener.port });
      const current = runtime();
      let material: TlsMaterial;
      try {
        material = tlsMaterialFor(tlsRefs, current.secrets);
      } catch {
        current.stats.add("ssl_no_certificate_total", { listener: listener.name });
        raw.destroy();
        return;
      }
      tlsServerFor(material).emit("connection", raw);
    },
    drain: () => manager?.drain(),
  };
}
