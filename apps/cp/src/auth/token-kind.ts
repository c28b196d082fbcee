/** `zone-ingress`: Kuma's (legacy) zone ingress token, issued by the zone CP the ingress connects to. */
export const tokenKinds = ["admin", "dataplane", "zone", "zone-ingress"] as const;
export type TokenKind = (typeof tokenKinds)[number];
