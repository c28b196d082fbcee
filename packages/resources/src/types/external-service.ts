import { z } from "zod";
import { dataSourceSchema } from "../common/data-source";
import { nonEmptyString } from "../common/fields";
import { serviceTags } from "./dataplane";

/** `host:port` (a hostname, an IPv4 address or a bracketed IPv6 one), as Kuma's ExternalService address. */
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.\-_]+):(?<port>\d{1,5})$/;

/**
 * Kuma's ExternalService: a service outside the mesh (`networking.address`) that the mesh's proxies reach as
 * `<kuma.io/service>.mesh` or through an outbound, with the outbound policies of that service name applied and
 * TLS originated by the caller's proxy when `tls.enabled`.
 */
export const externalServiceBody = z.strictObject({
  networking: z.strictObject({
    address: z.string().refine((address) => {
      const port = HOST_PORT.exec(address)?.groups?.port;
      return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
    }, { error: "must be host:port with a port between 1 and 65535" }),
    tls: z
      .strictObject({
        enabled: z.boolean().optional(),
        caCert: dataSourceSchema.optional(),
        clientCert: dataSourceSchema.optional(),
        clientKey: dataSourceSchema.optional(),
        allowRenegotiation: z.boolean().optional(),
        serverName: nonEmptyString.optional(),
      })
      .superRefine((tls, ctx) => {
        if ((tls.clientCert === undefined) !== (tls.clientKey === undefined)) {
          ctx.addIssue({ code: "custom", path: [tls.clientCert ? "clientKey" : "clientCert"], message: "clientCert and clientKey must be set together" });
        }
      })
      .optional(),
    disableHostDNSEntry: z.boolean().optional(),
  }),
  tags: serviceTags,
});
export type ExternalServiceBody = z.infer<typeof externalServiceBody>;

/** The host and port of an ExternalService's address (brackets of an IPv6 host removed). */
export function externalServiceAddress(body: ExternalServiceBody): { host: string; port: number } {
  const separator = body.networking.address.lastIndexOf(":");
  return { host: body.networking.address.slice(0, separator).replace(/^\[(.*)\]$/, "$1"), port: Number(body.networking.address.slice(separator + 1)) };
}
