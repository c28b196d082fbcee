"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { NameFilter } from "@/components/name-filter";
import { PagedTable } from "@/components/paged-table";
import { OnlineBadge } from "@/components/status-badge";
import { Timestamp } from "@/components/time-ago";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

export function ZonesView() {
  const trpc = useTRPC();
  const name = useQueryState().get("name");
  const page = usePage();
  const zones = useQuery(trpc.zones.list.queryOptions({ ...page, name: name || undefined }, { placeholderData: keepPreviousData, refetchInterval: 10_000 }));
  return (
    <>
      <h1>Zones</h1>
      <NameFilter />
      <PagedTable
        query={zones}
        what="zones"
        page={page}
        empty={name ? `No zone matches "${name}".` : "No zone has connected yet."}
        rowKey={(zone) => zone.name}
        columns={[
          { header: "Zone", cell: (zone) => `${zone.name}${zone.enabled ? "" : " (disabled)"}` },
          { header: "Status", cell: (zone) => <OnlineBadge online={zone.online} /> },
          { header: "Connected since", cell: (zone) => (zone.online ? <Timestamp value={zone.connectTime} /> : "—") },
          { header: "Last seen", cell: (zone) => <Timestamp value={zone.lastSeen} /> },
          { header: "Zone CP version", cell: (zone) => zone.cpVersion ?? "—" },
          { header: "KDS responses (sent / acked)", cell: (zone) => `${zone.responsesSent} / ${zone.responsesAcknowledged}` },
          {
            header: "In this zone",
            cell: (zone) => (
              <>
                <Link href={`/dataplanes?zone=${encodeURIComponent(zone.name)}`}>dataplanes</Link> ·{" "}
                <Link href={`/services?zone=${encodeURIComponent(zone.name)}`}>services</Link>
              </>
            ),
          },
        ]}
      />
    </>
  );
}
