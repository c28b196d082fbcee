import type { FastifyRequest } from "fastify";
import { unauthorized } from "../api/problem";
import { TokenError, type TokenService } from "./tokens";

/** Addresses whose token-less requests are admin, as Kuma allows by default. */
export const defaultLocalAddresses = ["127.0.0.1", "::1", "::ffff:127.0.0.1"];

export type RouteAccess = "admin" | "public";

/**
 * Builds the onRequest check for admin routes: a request with a bearer token must carry a valid admin token
 * (even from localhost, so a bad token is never silently ignored); a request without one is admin only from a local address.
 */
export function adminGuard(tokens: TokenService, localAddresses: readonly string[]) {
  const local = new Set(localAddresses);
  return async (request: FastifyRequest) => {
    const access = (request.routeOptions.config as { access?: RouteAccess }).access ?? "admin";
    if (access === "public") return;
    const header = request.headers.authorization;
    if (!header) {
      if (local.has(request.socket.remoteAddress ?? "")) return;
      throw unauthorized(
        `requests from ${request.socket.remoteAddress} need an admin token: send "Authorization: Bearer <token>" (make one with "zmctl generate admin-token" on the control plane host)`,
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('the Authorization header must be "Bearer <admin token>"');
    try {
      await tokens.verifyToken("admin", match[1]!);
    } catch (error) {
      if (error instanceof TokenError) throw unauthorized(`admin token rejected: ${error.message}`);
      throw error;
    }
  };
}
