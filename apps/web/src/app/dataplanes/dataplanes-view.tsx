"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { FilterForm } from "@/components/filter-form";
import { MeshSelect } from "@/components/mesh-select";
import { PagedTable } from "@/components/paged-table";
import { StatusBadge } from "@/components/status-badge";
import { Tags } from "@/components/tags";
import { Timestamp } from "@/components/time-ago";
import { dataplaneHref } from "@/lib/links";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

const statuses = ["online", "partially_degraded", "offline"] as const;
const isStatus = (value: string): value is (typeof statuses)[number] => (statuses as readonly string[]).includes(value);

export function DataplanesView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  const page = usePage();
  const filters = { mesh: get("mesh"), zone: get("zone"), service: get("service"), tag: get("tag"), status: get("status"), name: get("name") };
  const input = {
    ...page,
    mesh: filters.mesh || undefined,
    zone: filters.zone || undefined,
    service: filters.service || undefined,
    tag: filters.tag || undefined,
    status: isStatus(filters.status) ? filters.status : undefined,
    name: filters.name || undefined,
  };
  const dataplanes = useQuery(trpc.dataplanes.list.queryOptions(input, { placeholderData: keepPreviousData, refetchInterval: 10_000 }));
  return (
    <>
      <h1>Dataplanes</h1>
      <FilterForm onApply={(values) => set({ zone: values.zone, service: values.service, tag: values.tag, name: values.name })}>
        <MeshSelect value={filters.mesh} onChange={(mesh) => set({ mesh })} />
        <label>
          Status
          <select value={filters.status} onChange={(event) => set({ status: event.target.value })}>
            <option value="">any</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {status.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        {(["zone", "service", "tag", "name"] as const).map((field) => (
          <label key={field}>
            {field === "tag" ? "Tag (key:value)" : field === "name" ? "Name contains" : field[0]!.toUpperCase() + field.slice(1)}
            <input name={field} defaultValue={filters[field]} key={filters[field]} />
          </label>
        ))}
      </FilterForm>
      <PagedTable
        query={dataplanes}
        what="dataplanes"
        page={page}
        empty="No dataplane matches these filters."
        rowKey={(dp) => `${dp.mesh}/${dp.name}`}
        columns={[
          {
            header: "Dataplane",
            cell: (dp) => (
              <>
                <Link href={dataplaneHref(dp.mesh, dp.name)}>{dp.displayName}</Link>
                {dp.kind === "gateway" && <Tags values={["gateway"]} />}
              </>
            ),
          },
          { header: "Mesh", cell: (dp) => dp.mesh },
          { header: "Zone", cell: (dp) => dp.zone ?? "—" },
          { header: "Services", cell: (dp) => <Tags values={dp.services} /> },
          { header: "Status", cell: (dp) => <StatusBadge status={dp.status} /> },
          { header: "Address", cell: (dp) => <code>{dp.address}</code> },
          { header: "Last seen", cell: (dp) => <Timestamp value={dp.lastSeen} /> },
          { header: "Certificate expires", cell: (dp) => <Timestamp value={dp.certificateExpiration} /> },
        ]}
      />
    </>
  );
}
