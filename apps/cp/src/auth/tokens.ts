import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { SigningKeys } from "./signing-keys";
import type { TokenKind } from "./token-kind";

const issuer = "zonemesh";
const audienceOf = (kind: TokenKind) => `zonemesh:${kind}`;

/**
 * What a token vouches for: admin tokens a user `name` (and Kuma's `groups`); dataplane tokens a `mesh`
 * (optionally `name`, `tags` and `proxyType`); zone tokens a `zone` and its `scope`.
 */
export const tokenClaimsSchema = z.object({
  name: z.string().min(1).optional(),
  groups: z.array(z.string()).optional(),
  proxyType: z.enum(["dataplane", "ingress", "egress"]).optional(),
  mesh: z.string().min(1).optional(),
  zone: z.string().min(1).optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
  scope: z.array(z.string()).optional(),
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

export interface VerifiedToken extends TokenClaims {
  kind: TokenKind;
  expiresAt: Date;
}

export class TokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "TokenError";
  }
}

export interface TokenService {
  issueToken(kind: TokenKind, claims: TokenClaims, ttlSeconds: number): Promise<string>;
  /** Throws TokenError naming why the token is refused (malformed, wrong kind, bad signature, expired). */
  verifyToken(kind: TokenKind, token: string): Promise<VerifiedToken>;
}

export function createTokenService(keys: SigningKeys): TokenService {
  return {
    async issueToken(kind, claims, ttlSeconds) {
      const key = keys[kind];
      const jwt = new SignJWT({ ...tokenClaimsSchema.parse(claims) })
        .setProtectedHeader({ alg: "EdDSA", kid: key.id })
        .setIssuer(issuer)
        .setAudience(audienceOf(kind))
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .setJti(randomUUID());
      if (claims.name) jwt.setSubject(claims.name);
      return jwt.sign(key.privateKey);
    },

    async verifyToken(kind, token) {
      refuseOtherKinds(kind, token);
      try {
        const { payload } = await jwtVerify(token, keys[kind].publicKey, {
          issuer,
          audience: audienceOf(kind),
          algorithms: ["EdDSA"],
        });
        const claims = tokenClaimsSchema.safeParse(payload);
        if (!claims.success) throw new TokenError("token claims are malformed");
        return { ...claims.data, kind, expiresAt: new Date((payload.exp ?? 0) * 1000) };
      } catch (error) {
        throw asTokenError(error);
      }
    },
  };
}

/** Reads the audience before verifying so that, e.g., a dataplane token sent as an admin token is named as such. */
function refuseOtherKinds(kind: TokenKind, token: string) {
  let audience: unknown;
  try {
    audience = decodeJwt(token).aud;
  } catch {
    throw new TokenError("token is malformed: not a JWT");
  }
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (audiences.includes(audienceOf(kind))) return;
  const other = audiences.find((a): a is string => typeof a === "string" && a.startsWith("zonemesh:"));
  throw new TokenError(
    other
      ? `token is a ${other.slice("zonemesh:".length)} token; a ${kind} token is required`
      : `token has the wrong audience (${String(audience)}); expected ${audienceOf(kind)}`,
  );
}

function asTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenError("token has expired");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new TokenError("token signature is invalid: it was not signed by this control plane");
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new TokenError(`token claim "${error.claim}" is invalid: ${error.reason}`);
  if (error instanceof joseErrors.JOSEError) return new TokenError(`token is invalid: ${error.message}`);
  throw error;
}
