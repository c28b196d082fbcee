import { z } from "zod";
import { inboundRuleList, policyItemList, requireOneOf, topLevelTargetRef } from "./target-ref";

/** Kuma's TLS versions, oldest first; `TLSAuto` leaves the bound to the proxy. */
export const TLS_VERSIONS = ["TLSAuto", "TLS10", "TLS11", "TLS12", "TLS13"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** The TLS 1.2 suites Kuma accepts (TLS 1.3 suites are not configurable, as in Envoy). */
export const TLS_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-RSA-CHACHA20-POLY1305",
] as const;

export const tlsConf = z
  .strictObject({
    tlsVersion: z.strictObject({ min: z.enum(TLS_VERSIONS).optional(), max: z.enum(TLS_VERSIONS).optional() }).optional(),
    tlsCiphers: z.array(z.enum(TLS_CIPHERS)).optional(),
    /** Permissive: inbounds also take plaintext callers; outbounds are mTLS either way. */
    mode: z.enum(["Strict", "Permissive"]).optional(),
  })
  .superRefine((conf, ctx) => {
    const { min, max } = conf.tlsVersion ?? {};
    if (min && max && min !== "TLSAuto" && max !== "TLSAuto" && TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max)) {
      ctx.addIssue({ code: "custom", path: ["tlsVersion", "min"], message: `must not be newer than max (${max})` });
    }
  });

/** Kuma 2.9+: TLS versions, ciphers and the mTLS mode of the selected proxies' inbounds. */
export const meshTLSBody = z.strictObject({
  spec: z
    .strictObject({
      targetRef: topLevelTargetRef.optional(),
      from: policyItemList(["Mesh"], tlsConf).optional(),
      rules: inboundRuleList(tlsConf).optional(),
    })
    .superRefine(requireOneOf("from", "rules")),
});
export type MeshTLSBody = z.infer<typeof meshTLSBody>;
