import { typeNames, typed, type CommonTlsContext, type DownstreamTlsContext, type Filter, type Secret, type TlsParameters, type TransportSocket, type UpstreamTlsContext } from "@zonemesh/xds";
import { enabledMtlsBackend, spiffeIdOf, type MeshBody, type TlsVersion } from "@zonemesh/resources";
import { adsConfigSource } from "./envoy-values";
import type { ProxyCertificates } from "./input";
import type { TlsConf } from "./policy-confs";
import { secretName, sniFor } from "./names";

/** mTLS is on when the mesh names an enabled backend (Kuma serves `builtin` and `provided` backends the same way to proxies). */
export const isMtlsEnabled = (mesh: MeshBody) => Boolean(mesh.mtls?.enabledBackend);

/**
 * Permissive inbounds take plaintext callers beside mTLS ones, while a mesh moves to mTLS: a MeshTLS `mode` selecting
 * the inbound decides, else the mode of the mesh's enabled backend.
 */
export function isMtlsPermissive(mesh: MeshBody, tls: TlsConf | undefined): boolean {
  if (tls?.mode) return tls.mode === "Permissive";
  return enabledMtlsBackend(mesh)?.mode === "PERMISSIVE";
}

/** Tells a TLS ClientHello (transport_protocol "tls", its SNI and ALPN) from other first bytes ("raw_buffer"). */
export const tlsInspector: Filter = { name: "envoy.filters.listener.tls_inspector", typed_config: typed(typeNames.tlsInspector, {}) };

function commonTlsContext(mesh: string, san: { exact?: string; prefix?: string }): CommonTlsContext {
  return {
    tls_certificate_sds_secret_configs: [{ name: secretName.identity(mesh), sds_config: adsConfigSource }],
    combined_validation_context: {
      default_validation_context: { match_typed_subject_alt_names: [{ san_type: "URI", matcher: san }] },
      validation_context_sds_secret_config: { name: secretName.meshCa(mesh), sds_config: adsConfigSource },
    },
  };
}

/**
 * Inbound side: only callers with a certificate of this mesh's CA (`spiffe://<mesh>/...`) get through. An HTTP inbound
 * offers h2 and http/1.1 by ALPN, which HTTP/2 and HTTP/1.1 callers (Envoy's pools, the dps) ask for: the connection
 * manager then knows the protocol from the handshake.
 */
export function inboundTransportSocket(mesh: string, http = false, tls?: TlsConf): TransportSocket {
  const common = { ...commonTlsContext(mesh, { prefix: spiffeIdOf(mesh, "") }), ...tlsParams(tls) };
  const context: DownstreamTlsContext = { common_tls_context: http ? { ...common, alpn_protocols: ["h2", "http/1.1"] } : common, require_client_certificate: { value: true } };
  return { name: "envoy.transport_sockets.tls", typed_config: typed(typeNames.downstreamTlsContext, context) };
}

const envoyTlsVersion: Record<TlsVersion, NonNullable<TlsParameters["tls_minimum_protocol_version"]>> = {
  TLSAuto: "TLS_AUTO",
  TLS10: "TLSv1_0",
  TLS11: "TLSv1_1",
  TLS12: "TLSv1_2",
  TLS13: "TLSv1_3",
};

/** MeshTLS versions and ciphers as Envoy's tls_params; none without them. */
function tlsParams(tls: TlsConf | undefined): Pick<CommonTlsContext, "tls_params"> {
  const { min, max } = tls?.tlsVersion ?? {};
  const params: TlsParameters = {
    ...(min ? { tls_minimum_protocol_version: envoyTlsVersion[min] } : {}),
    ...(max ? { tls_maximum_protocol_version: envoyTlsVersion[max] } : {}),
    ...(tls?.tlsCiphers?.length ? { cipher_suites: tls.tlsCiphers } : {}),
  };
  return Object.keys(params).length > 0 ? { tls_params: params } : {};
}

/** Outbound side: the upstream must prove it is `service`; the SNI lets a zone ingress route the connection. */
export function outboundTransportSocket(mesh: string, service: string, tags: Record<string, string>): TransportSocket {
  const context: UpstreamTlsContext = { common_tls_context: commonTlsContext(mesh, { exact: spiffeIdOf(mesh, service) }), sni: sniFor(service, { ...tags, mesh }) };
  return { name: "envoy.transport_sockets.tls", typed_config: typed(typeNames.upstreamTlsContext, context) };
}

const base64 = (pem: string) => Buffer.from(pem).toString("base64");

export function meshSecrets(mesh: string, certificates: ProxyCertificates): Secret[] {
  return [
    { name: secretName.identity(mesh), tls_certificate: { certificate_chain: { inline_bytes: base64(certificates.identity.certPem) }, private_key: { inline_bytes: base64(certificates.identity.keyPem) } } },
    { name: secretName.meshCa(mesh), validation_context: { trusted_ca: { inline_bytes: base64(certificates.meshCaPem) } } },
  ];
}
