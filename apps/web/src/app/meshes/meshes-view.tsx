"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { NameFilter } from "@/components/name-filter";
import { PagedTable } from "@/components/paged-table";
import { Timestamp } from "@/components/time-ago";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

const views = ["services", "dataplanes", "policies", "topology"] as const;

export function MeshesView() {
  const trpc = useTRPC();
  const name = useQueryState().get("name");
  const page = usePage();
  const meshes = useQuery(trpc.meshes.list.queryOptions({ ...page, name: name || undefined }, { placeholderData: keepPreviousData }));
  return (
    <>
      <h1>Meshes</h1>
      <NameFilter />
      <PagedTable
        query={meshes}
        what="meshes"
        page={page}
        empty={name ? `No mesh matches "${name}".` : "No mesh yet."}
        rowKey={(mesh) => mesh.name}
        columns={[
          { header: "Mesh", cell: (mesh) => mesh.name },
          {
            header: "mTLS",
            cell: (mesh) => (mesh.mtls ? `${mesh.mtls.backend} (${mesh.mtls.type ?? "?"}${mesh.mtls.mode === "PERMISSIVE" ? ", permissive" : ""})` : "off"),
          },
          { header: "Created", cell: (mesh) => <Timestamp value={mesh.creationTime} /> },
          {
            header: "Views",
            cell: (mesh) =>
              views.map((view, index) => (
                <span key={view}>
                  {index > 0 && " · "}
                  <Link href={`/${view}?mesh=${encodeURIComponent(mesh.name)}`}>{view}</Link>
                </span>
              )),
          },
        ]}
      />
    </>
  );
}
