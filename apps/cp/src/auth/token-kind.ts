export const tokenKinds = ["admin", "dataplane", "zone"] as const;
export type TokenKind = (typeof tokenKinds)[number];
