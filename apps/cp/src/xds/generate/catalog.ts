import { PROTOCOL_TAG, SERVICE_TAG, ZONE_TAG, externalServiceAddress, type PolicyRef } from "@zonemesh/resources";
import type { ExternalServiceInput } from "./input";
import type { MeshInput } from "./mesh-view";
import { isMtlsEnabled } from "./tls";

export interface ServiceEndpoint {
  address: string;
  port: number;
  zone: string;
  tags: Record<string, string>;
  /** For a zone ingress: the number of instances behind it. */
  weight: number;
  /** Reached through another zone's ingress (routed there by SNI). */
  viaIngress: boolean;
}

/** Where an ExternalService is, and how its caller's proxy speaks TLS to it. */
export interface ExternalTarget {
  origin: PolicyRef;
  host: string;
  port: number;
  tags: Record<string, string>;
  tls?: { serverName?: string; allowRenegotiation?: boolean; caPem?: string; certPem?: string; keyPem?: string };
}

export interface ServiceInfo {
  name: string;
  protocol: string;
  /** A service outside the mesh (ExternalService): no endpoints of its own, its cluster names its address. */
  external?: ExternalTarget;
  /** The smallest inbound port of the service's local endpoints, if it has any (an ExternalService: its address's). */
  localPort?: number;
  endpoints: ServiceEndpoint[];
}

const httpFamily = new Set(["http", "http2"]);

/** Kuma's common protocol of two endpoints: equal stays, http with http2 is http, anything else falls back to tcp. */
function commonProtocol(a: string, b: string): string {
  if (a === b) return a;
  return httpFamily.has(a) && httpFamily.has(b) ? "http" : "tcp";
}

function isReady(inbound: { state?: string; health?: { ready?: boolean } }): boolean {
  if (inbound.state) return inbound.state === "Ready";
  return inbound.health?.ready !== false;
}

/** Every service of the mesh the proxy could reach, with its ready endpoints: local inbounds and other zones' ingresses. */
export function serviceCatalog(input: MeshInput): Map<string, ServiceInfo> {
  const services = new Map<string, ServiceInfo>();
  const add = (name: string, protocol: string, endpoint: ServiceEndpoint) => {
    const info = services.get(name);
    if (!info) {
      services.set(name, { name, protocol, endpoints: [endpoint], ...(endpoint.viaIngress ? {} : { localPort: endpoint.port }) });
      return;
    }
    info.protocol = commonProtocol(info.protocol, protocol);
    info.endpoints.push(endpoint);
    if (!endpoint.viaIngress && (info.localPort === undefined || endpoint.port < info.localPort)) info.localPort = endpoint.port;
  };

  for (const dataplane of input.dataplanes) {
    const networking = dataplane.body.networking;
    for (const inbound of networking.inbound ?? []) {
      if (!isReady(inbound)) continue;
      const service = inbound.tags[SERVICE_TAG] as string;
      add(service, inbound.tags[PROTOCOL_TAG] ?? "tcp", {
        address: inbound.address ?? networking.advertisedAddress ?? networking.address,
        port: inbound.port,
        zone: dataplane.labels[ZONE_TAG] ?? input.localZone,
        tags: inbound.tags,
        weight: 1,
        viaIngress: false,
      });
    }
  }

  // A zone ingress routes by the SNI of the mesh's mTLS connections: without mTLS other zones are out of reach (as in Kuma).
  for (const ingress of isMtlsEnabled(input.mesh) ? input.zoneIngresses : []) {
    const zone = ingress.body.zone ?? ingress.labels[ZONE_TAG];
    if (zone === undefined || zone === input.localZone) continue;
    const networking = ingress.body.networking;
    for (const available of ingress.body.availableServices ?? []) {
      const service = available.tags[SERVICE_TAG];
      if (available.mesh !== input.mesh.name || service === undefined || available.instances === 0 || available.externalService) continue;
      add(service, available.tags[PROTOCOL_TAG] ?? "tcp", {
        address: networking.advertisedAddress ?? networking.address,
        port: networking.advertisedPort ?? networking.port,
        zone,
        tags: available.tags,
        weight: available.instances,
        viaIngress: true,
      });
    }
  }
  // A service of the mesh keeps its name, and the first ExternalService of a name wins (see leftOutExternalServices).
  for (const external of input.externalServices ?? []) {
    if (external.problem) continue;
    const target = externalTarget(external);
    const service = target.tags[SERVICE_TAG] as string;
    if (!services.has(service)) services.set(service, { name: service, protocol: target.tags[PROTOCOL_TAG] ?? "tcp", localPort: target.port, endpoints: [], external: target });
  }
  return services;
}

function externalTarget({ resource, tls }: ExternalServiceInput): ExternalTarget {
  const { networking, tags } = resource.body;
  return {
    origin: { type: resource.type, mesh: resource.mesh, name: resource.name },
    ...externalServiceAddress(resource.body),
    tags,
    ...(networking.tls?.enabled ? { tls: { serverName: networking.tls.serverName, allowRenegotiation: networking.tls.allowRenegotiation, ...tls } } : {}),
  };
}

/** The ExternalServices the catalog left out, each with why: its TLS material could not be read, or its service name is taken. */
export function leftOutExternalServices(externals: ExternalServiceInput[], catalog: ReadonlyMap<string, ServiceInfo>): { origin: PolicyRef; reason: string }[] {
  return externals.flatMap(({ resource, problem }) => {
    const origin = { type: resource.type, mesh: resource.mesh, name: resource.name };
    if (problem) return [{ origin, reason: `left out: ${problem}` }];
    const service = resource.body.tags[SERVICE_TAG] as string;
    const owner = catalog.get(service)?.external?.origin.name;
    if (owner === resource.name) return [];
    return [{ origin, reason: owner === undefined ? `left out: dataplanes of the mesh serve "${service}"` : `left out: ExternalService "${owner}" has the same kuma.io/service "${service}"` }];
  });
}

export const isHttpProtocol = (protocol: string) => protocol === "http" || protocol === "http2" || protocol === "grpc";
/** Upstreams that must be spoken to in HTTP/2. */
export const isHttp2Protocol = (protocol: string) => protocol === "http2" || protocol === "grpc";
