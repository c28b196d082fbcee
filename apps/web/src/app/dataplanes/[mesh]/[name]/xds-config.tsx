"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, QueryView } from "@/components/states";
import { useTRPC } from "@/trpc/client";

/** Loaded only when opened: a full config dump is large. */
export function XdsConfig({ mesh, name }: { mesh: string; name: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const xds = useQuery(trpc.dataplanes.xds.queryOptions({ mesh, name }, { enabled: open }));
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Show the xDS configuration served to this proxy
      </button>
    );
  }
  return (
    <QueryView query={xds} what="the xDS configuration">
      {({ config, reason }) =>
        config === null ? <Empty>No xDS configuration here: {reason}</Empty> : <pre className="block">{JSON.stringify(config, null, 2)}</pre>
      }
    </QueryView>
  );
}
