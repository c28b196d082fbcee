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
  const compose = (mtls: MtlsDetails) =>
    [
      ...(mtls.local.uri[0] ? [`By=${mtls.local.uri[0]}`] : []),
      `Hash=${mtls.peerHash}`,
      ...(include.uri && mtls.peer.uri[0] ? [`URI=${mtls.peer.uri[0]}`] : []),
      ...(include.dns ? mtls.peer.dns.map((dns) => `DNS=${dns}`) : []),
    ].join(";");
  // The details are the connection's: composed once per connection, not per request.
  const composed = new WeakMap<MtlsDetails, string>();
  const current = (mtls: MtlsDetails) => {
    let value = composed.get(mtls);
    if (value === undefined) composed.set(mtls, (value = compose(mtls)));
    return value;
  };
  // A delete turns the headers object into a slow dictionary for every later access: only when there is one.
  const remove = (headers: http.IncomingHttpHeaders) => {
    if (headers[header] !== undefined) delete headers[header];
  };
  return (headers, mtls) => {
    const existing = headers[header];
    switch (mode) {
      case "SANITIZE":
        remove(headers);
        break;
      case "FORWARD_ONLY":
        if (!mtls) remove(headers);
        break;
      case "APPEND_FORWARD":
        if (!mtls) remove(headers);
        else headers[header] = existing ? `${existing},${current(mtls)}` : current(mtls);
        break;
      case "SANITIZE_SET":
        if (!mtls) remove(headers);
        else headers[header] = current(mtls);
        break;
      case "ALWAYS_FORWARD_ONLY":
        break;
    }
  };
}
