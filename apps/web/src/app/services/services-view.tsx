"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { FilterForm } from "@/components/filter-form";
import { MeshSelect } from "@/components/mesh-select";
import { PagedTable } from "@/components/paged-table";
import { StatusBadge } from "@/components/status-badge";
import { Tags } from "@/components/tags";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

export function ServicesView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  const page = usePage();
  const filters = { mesh: get("mesh"), zone: get("zone"), name: get("name") };
  const services = useQuery(
    trpc.services.list.queryOptions(
      { ...page, mesh: filters.mesh || undefined, zone: filters.zone || undefined, name: filters.name || undefined },
      { placeholderData: keepPreviousData, refetchInterval: 10_000 },
    ),
  );
  return (
    <>
      <h1>Services</h1>
      <FilterForm onApply={(values) => set({ zone: values.zone, name: values.name })}>
        <MeshSelect value={filters.mesh} onChange={(mesh) => set({ mesh })} />
        <label>
          Zone
          <input name="zone" defaultValue={filters.zone} key={filters.zone} />
        </label>
        <label>
          Name contains
          <input name="name" defaultValue={filters.name} key={filters.name} />
        </label>
      </FilterForm>
      <PagedTable
        query={services}
        what="services"
        page={page}
        empty="No service matches these filters."
        rowKey={(service) => `${service.mesh}/${service.name}`}
        columns={[
          {
            header: "Service",
            cell: (service) => (
              <Link href={`/dataplanes?mesh=${encodeURIComponent(service.mesh)}&service=${encodeURIComponent(service.name)}`}>{service.name}</Link>
            ),
          },
          { header: "Mesh", cell: (service) => service.mesh },
          { header: "Zones", cell: (service) => <Tags values={service.zones} /> },
          { header: "Healthy / total", cell: (service) => `${service.healthy} / ${service.total}` },
          { header: "Status", cell: (service) => <StatusBadge status={service.status} /> },
          {
            header: "Graph",
            cell: (service) => <Link href={`/topology?${new URLSearchParams({ mesh: service.mesh, q: service.name }).toString()}`}>topology</Link>,
          },
        ]}
      />
    </>
  );
}
