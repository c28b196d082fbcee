import type { ApiRoute } from "./route";

const kumaPrefix = "/zoneingresses";
const aliasPrefix = "/zone-ingresses";

/**
 * Kuma serves zone ingresses at `/zoneingresses` and `/zoneingresses+insights`; issue 2 names them `/zone-ingresses`.
 * Each such route is served at both paths, the alias documented as its own operation.
 */
export function withZoneIngressAliases(routes: ApiRoute[]): ApiRoute[] {
  return routes.flatMap((route) => {
    if (!route.path.startsWith(kumaPrefix)) return [route];
    const alias: ApiRoute = {
      ...route,
      path: aliasPrefix + route.path.slice(kumaPrefix.length),
      operationId: `${route.operationId}ByAlias`,
      description: `Alias of \`${route.method} ${route.path}\` (Kuma's path).${route.description ? ` ${route.description}` : ""}`,
    };
    return [route, alias];
  });
}
