import Fastify from "fastify";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { MAX_NAME_LENGTH } from "@zonemesh/resources";
import type { ResourceStore } from "@zonemesh/store";
import { adminGuard, defaultLocalAddresses } from "./auth/admin-guard";
import type { SigningKeys } from "./auth/signing-keys";
import { createTokenService, type TokenService } from "./auth/tokens";
import { registerBodyParsers } from "./api/body-parsers";
import { dataplaneIndex } from "./api/dataplane-index";
import { errorHandler } from "./api/error-handler";
import { notFoundHandler } from "./api/not-found";
import { buildOpenApi } from "./api/openapi";
import { globalInsightRoute } from "./api/global-insight-route";
import { inspectRoutes } from "./api/inspect-routes";
import { listVersions } from "./api/list-versions";
import { overviewRoutes } from "./api/overview-routes";
import { policyCountRoutes } from "./api/policy-counts-route";
import { serviceInsightRoutes } from "./api/service-insight-routes";
import { resourceRoutes } from "./api/resource-routes";
import { resourceSchemas } from "./api/resource-types";
import { type ApiRoute, toFastifyPath } from "./api/route";
import { syncRules } from "./api/sync-rules";
import { type CpMode, systemRoutes } from "./api/system-routes";
import { tokenRoutes } from "./api/token-routes";

export type { ApiRoute } from "./api/route";
export type { CpMode } from "./api/system-routes";
export { loadOrCreateSigningKeys, type SigningKeys } from "./auth/signing-keys";
export type { TokenKind } from "./auth/token-kind";
export { createTokenService, TokenError, type TokenClaims, type TokenService, type VerifiedToken } from "./auth/tokens";
export { parseDuration } from "./auth/duration";

export interface ApiServerOptions {
  store: ResourceStore;
  mode: CpMode;
  /** This CP's zone name (zone mode). */
  zone?: string;
  signingKeys: SigningKeys;
  version: string;
  listen: { host: string; port: number };
  /** Routes contributed by other parts of the CP (xDS introspection, metrics); documented in the OpenAPI document like the rest. */
  routes?: ApiRoute[];
  /** Addresses whose requests without a token are admin; default 127.0.0.1 and ::1. */
  localAddresses?: string[];
  clusterId?: string;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
}

export interface ApiServer {
  /** Where it listens; `url` is `http://host:port`. */
  address: { host: string; port: number; url: string };
  tokens: TokenService;
  /** Every route it serves, as documented in /openapi.json. */
  routes: readonly ApiRoute[];
  /** What fastify actually registered (method and fastify-style URL), to check the document against. */
  registered: readonly { method: string; url: string }[];
  close(): Promise<void>;
}

/** Starts the REST API (Kuma's port 5681 by default) on the given store; resolves once it listens. */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store, mode } = options;
  const tokens = createTokenService(options.signingKeys);
  const routes: ApiRoute[] = [];
  let document: ReturnType<typeof buildOpenApi> | undefined;
  const openApi = () => (document ??= buildOpenApi(routes, { version: options.version, schemas: resourceSchemas() }));
  const dataplanes = dataplaneIndex(store);
  const versions = listVersions(store);
  routes.push(
    ...systemRoutes(
      {
        version: options.version,
        mode,
        instanceId: `${hostname()}-${randomBytes(2).toString("hex")}`,
        ...(options.clusterId ? { clusterId: options.clusterId } : {}),
        ...(options.zone ? { zone: options.zone } : {}),
      },
      openApi,
    ),
    ...overviewRoutes(store, dataplanes),
    ...serviceInsightRoutes(store, dataplanes, versions),
    ...policyCountRoutes(store),
    globalInsightRoute(store),
    ...inspectRoutes(store),
    ...resourceRoutes({ store, sync: syncRules(mode, options.zone), versions }),
    ...tokenRoutes({ store, tokens, mode }),
    ...(options.routes ?? []),
  );

  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Fastify's default (100) would 404 names of up to MAX_NAME_LENGTH characters; room for percent-encoding too.
    maxParamLength: MAX_NAME_LENGTH * 3,
    logger: { level: "warn" },
  });
  registerBodyParsers(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler(routes));
  const registered: { method: string; url: string }[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) if (method !== "HEAD") registered.push({ method, url: route.url });
  });
  app.addHook("onRequest", adminGuard(tokens, options.localAddresses ?? defaultLocalAddresses));
  for (const route of routes) {
    app.route({
      method: route.method,
      url: toFastifyPath(route.path),
      config: { access: route.access ?? "admin" },
      handler: route.handler,
    });
  }

  try {
    await app.listen({ host: options.listen.host, port: options.listen.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const bound = app.server.address();
  const port = typeof bound === "object" && bound ? bound.port : options.listen.port;
  const host = options.listen.host.includes(":") ? `[${options.listen.host}]` : options.listen.host;
  return {
    address: { host: options.listen.host, port, url: `http://${host}:${port}` },
    tokens,
    routes,
    registered,
    close: async () => {
      dataplanes.close();
      versions.close();
      await app.close();
    },
  };
}
