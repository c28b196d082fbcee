import { z } from "zod";
import { nonEmptyString } from "../common/fields";

/** A caller by the SPIFFE ID of its certificate (here `spiffe://<mesh>/<service>`), whole or by prefix (Kuma 2.12+). */
export const spiffeIdMatch = z.strictObject({
  spiffeID: z.strictObject({ type: z.enum(["Exact", "Prefix"]), value: nonEmptyString }),
});
export type SpiffeIdMatch = z.infer<typeof spiffeIdMatch>;

/** `spiffe://default/web,spiffe://default/ops-*`: the callers these matchers pick, in one line. */
export function describeSpiffeIdMatches(matches: SpiffeIdMatch[]): string {
  return matches.map(({ spiffeID }) => `${spiffeID.value}${spiffeID.type === "Prefix" ? "*" : ""}`).join(",");
}
