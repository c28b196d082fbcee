import type http from "node:http";
import type { HttpConnectionManager } from "@zonemesh/xds";
import type { PeerSans } from "../tls-context";

/** What an mTLS connection tells about both ends, for x-forwarded-client-cert. */
export interface MtlsDetails {
  local: PeerSans;
  peer: PeerSans;
  /** SHA-256 of the peer certificate's DER, lower-case hex. */
  peerHash: string;
}

const header = "x-forwarded-client-cert";

/** Envoy's forward_client_cert_details and set_current_client_cert_details (URI and DNS SANs). */
export function compileClientCertDetails(config: HttpConnectionManager): (headers: http.IncomingHttpHeaders, mtls: MtlsDetails | undefined) => void {
  const mode = config.forward_client_cert_details ?? "SANITIZE";
  const include = config.set_current_client_cert_details ?? {};
  const current = (mtls: MtlsDetails) =>
    [
      ...(mtls.local.uri[0] ? [`By=${mtls.local.uri[0]}`] : []),
      `Hash=${mtls.peerHash}`,
      ...(include.uri && mtls.peer.uri[0] ? [`URI=${mtls.peer.uri[0]}`] : []),
      ...(include.dns ? mtls.peer.dns.map((dns) => `DNS=${dns}`) : []),
    ].join(";");
  return (headers, mtls) => {
    const existing = headers[header];
    switch (mode) {
      case "SANITIZE":
        delete headers[header];
        break;
      case "FORWARD_ONLY":
        if (!mtls) delete headers[header];
        break;
      case "APPEND_FORWARD":
        if (!mtls) delete headers[header];
        else headers[header] = existing ? `${existing},${current(mtls)}` : current(mtls);
        break;
      case "SANITIZE_SET":
        if (!mtls) delete headers[header];
        else headers[header] = current(mtls);
        break;
      case "ALWAYS_FORWARD_ONLY":
        break;
    }
  };
}
