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

/** The SPIFFE ID a dataplane's certificate carries for each service of its inbounds (Kuma's form). */
export const spiffeIdOf = (mesh: string, service: string) => `spiffe://${mesh}/${service}`;

/** Whether the caller with this SPIFFE ID is one the matcher picks. */
export function spiffeIdMatches({ spiffeID }: SpiffeIdMatch, id: string): boolean {
  return spiffeID.type === "Exact" ? id === spiffeID.value : id.startsWith(spiffeID.value);
}
