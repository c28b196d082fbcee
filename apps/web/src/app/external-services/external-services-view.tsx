"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { MeshSelect } from "@/components/mesh-select";
import { NameFilter } from "@/components/name-filter";
import { PagedTable } from "@/components/paged-table";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

type ExternalTls = { serverName: string | null; verified: boolean; clientCertificate: boolean } | null;

/** How the caller's proxy speaks TLS to the service, in words. */
function tlsSummary(tls: ExternalTls): string {
  if (!tls) return "none";
  return [tls.verified ? "verified (caCert)" : "not verified (no caCert)", tls.clientCertificate ? "client certificate" : null, tls.serverName ? `SNI ${tls.serverName}` : null].filter(Boolean).join(", ");
}

export function ExternalServicesView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  const page = usePage();
  const filters = { mesh: get("mesh"), name: get("name") };
  const services = useQuery(
    trpc.services.external.queryOptions({ ...page, mesh: filters.mesh || undefined, name: filters.name || undefined }, { placeholderData: keepPreviousData, refetchInterval: 10_000 }),
  );
  return (
    <>
      <h1>External services</h1>
      <p>Services outside the mesh that its proxies reach by name (<code>&lt;service&gt;.mesh</code> or an outbound), with the policies that target that name.</p>
      <NameFilter>
        <MeshSelect value={filters.mesh} onChange={(mesh) => set({ mesh })} />
      </NameFilter>
      <PagedTable
        query={services}
        what="external services"
        page={page}
        empty="No ExternalService matches these filters."
        rowKey={(service) => `${service.mesh}/${service.name}`}
        columns={[
          { header: "Service", cell: (service) => service.service },
          { header: "Mesh", cell: (service) => service.mesh },
          { header: "Address", cell: (service) => <code>{service.address}</code> },
          { header: "Protocol", cell: (service) => service.protocol },
          { header: "TLS", cell: (service) => tlsSummary(service.tls) },
        ]}
      />
    </>
  );
}
