"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { PagedTable } from "@/components/paged-table";
import { OnlineBadge } from "@/components/status-badge";
import { Tags } from "@/components/tags";
import { Timestamp } from "@/components/time-ago";
import { usePage } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

export function ZoneIngressesView() {
  const trpc = useTRPC();
  const page = usePage();
  const ingresses = useQuery(trpc.zones.ingresses.queryOptions(page, { placeholderData: keepPreviousData, refetchInterval: 10_000 }));
  return (
    <>
      <h1>Zone ingresses</h1>
      <PagedTable
        query={ingresses}
        what="zone ingresses"
        page={page}
        empty="No zone ingress has registered."
        rowKey={(ingress) => ingress.name}
        columns={[
          { header: "Ingress", cell: (ingress) => ingress.displayName },
          { header: "Zone", cell: (ingress) => ingress.zone ?? "—" },
          { header: "Address", cell: (ingress) => <code>{ingress.address}</code> },
          { header: "Status", cell: (ingress) => <OnlineBadge online={ingress.online} /> },
          { header: "Last seen", cell: (ingress) => <Timestamp value={ingress.lastSeen} /> },
          {
            header: "Services exposed to other zones",
            cell: (ingress) => <Tags values={ingress.availableServices.map((s) => `${s.mesh}/${s.service} ×${s.instances}`)} />,
          },
        ]}
      />
    </>
  );
}
