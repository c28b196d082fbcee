// Admits a zone CP to the global's KDS server: a zone token signed by this global, for that zone, not disabled.
import type { AuthenticateZone } from "@zonemesh/kds";
import type { ResourceStore } from "@zonemesh/store";
import { TokenError, type TokenService } from "../api-server";

export function zoneAuthenticator(tokens: TokenService, store: ResourceStore): AuthenticateZone {
  return async (zone, token) => {
    let claims;
    try {
      claims = await tokens.verifyToken("zone", token);
    } catch (error) {
      if (error instanceof TokenError) return { allowed: false, code: "UNAUTHENTICATED", reason: `zone token refused: ${error.message}` };
      throw error;
    }
    if (claims.zone !== zone) {
      return { allowed: false, code: "PERMISSION_DENIED", reason: `the zone token was issued for zone "${claims.zone}", not "${zone}"` };
    }
    if (claims.scope && !claims.scope.includes("cp")) {
      return { allowed: false, code: "PERMISSION_DENIED", reason: `the zone token's scope (${claims.scope.join(", ")}) does not include "cp"` };
    }
    const registered = await store.get({ type: "Zone", mesh: "", name: zone });
    if ((registered?.spec as { enabled?: boolean } | undefined)?.enabled === false) {
      return { allowed: false, code: "PERMISSION_DENIED", reason: `zone "${zone}" is disabled on the global control plane (Zone.enabled: false)` };
    }
    return { allowed: true };
  };
}
