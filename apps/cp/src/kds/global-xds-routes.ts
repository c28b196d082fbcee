// The global's `/xds` routes: the global serves no proxies, so it asks the zone a proxy is connected to (over the
// KDS requests stream the zone opened) and answers with what that zone answers.
import { KdsRequestError, type KdsServer } from "@zonemesh/kds";
import type { ResourceStore } from "@zonemesh/store";
import { notFound, ProblemError } from "../api/problem";
import { pathParam, type ApiRoute } from "../api/route";
import { withZoneIngressAliases } from "../api/zone-ingress-aliases";
import { DISPLAY_NAME_LABEL, ZONE_LABEL } from "./sync-types";
import { XDS_CONFIG_REQUEST, xdsConfigAnswerSchema } from "./xds-config-request";

export interface GlobalXdsRouteDeps {
  store: ResourceStore;
  server: KdsServer;
  /** How long a zone has to answer; default 5 s. */
  timeoutMs?: number;
}

const serviceUnavailable = (detail: string) => new ProblemError(503, "Service Unavailable", detail);
const badGateway = (detail: string) => new ProblemError(502, "Bad Gateway", detail);

/** Asks the zone `type mesh/name` comes from (the global's zone-scoped name) what it serves that proxy. */
async function askOwningZone(deps: GlobalXdsRouteDeps, type: "Dataplane" | "ZoneIngress", mesh: string, name: string): Promise<object> {
  const what = type === "Dataplane" ? `dataplane "${name}" of mesh "${mesh}"` : `zone ingress "${name}"`;
  const item = await deps.store.get({ type, mesh, name });
  if (!item) throw notFound(`${what} not found`);
  const zone = item.labels[ZONE_LABEL];
  if (!zone) throw notFound(`${what} has no "${ZONE_LABEL}" label: only the zone a proxy is connected to knows what it is served`);
  const localName = item.labels[DISPLAY_NAME_LABEL] ?? name;
  const proxy = type === "Dataplane" ? { type, mesh, name: localName } : { type, name: localName };
  let reply: unknown;
  try {
    reply = await deps.server.request(zone, XDS_CONFIG_REQUEST, proxy, { timeoutMs: deps.timeoutMs ?? 5_000 });
  } catch (error) {
    if (!(error instanceof KdsRequestError)) throw error;
    if (error.code === "ZONE_ERROR") throw badGateway(`${what}: ${error.message}`);
    throw serviceUnavailable(`${what} is in zone "${zone}", which cannot be asked now: ${error.message}`);
  }
  const answer = xdsConfigAnswerSchema.safeParse(reply);
  if (!answer.success) throw badGateway(`${what}: zone "${zone}" gave an answer of the wrong shape`);
  if (answer.data.status === 404) throw notFound(`zone "${zone}": ${answer.data.detail}`);
  return answer.data.body;
}

function routeDoc(proxyKind: string) {
  return {
    method: "GET",
    summary: `The xDS configuration a ${proxyKind} is served, asked of the zone control plane it is connected to`,
    description:
      "The global control plane serves no proxies: it asks the zone the resource comes from (label `kuma.io/zone`), over the KDS connection the zone opened, and returns the zone's answer, the same as that zone's own route.",
    tag: "Inspect",
    responses: {
      200: { description: "The served configuration, as the zone answers it", schema: { type: "object" } },
      404: { description: `No such ${proxyKind}, or it is not connected to its zone control plane` },
      502: { description: "The zone failed the request" },
      503: { description: "The zone is not connected to this global, or did not answer in time" },
    },
  } as const;
}

export function globalXdsRoutes(deps: GlobalXdsRouteDeps): ApiRoute[] {
  return [
    {
      ...routeDoc("proxy"),
      path: "/meshes/{mesh}/dataplanes/{name}/xds",
      operationId: "getDataplaneXdsConfig",
      handler: async (request) => askOwningZone(deps, "Dataplane", pathParam(request, "mesh"), pathParam(request, "name")),
    },
    ...withZoneIngressAliases([
      {
        ...routeDoc("zone ingress"),
        path: "/zoneingresses/{name}/xds",
        operationId: "getZoneIngressXdsConfig",
        handler: async (request) => askOwningZone(deps, "ZoneIngress", "", pathParam(request, "name")),
      },
    ]),
  ];
}
