"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "@/components/states";
import { useTRPC } from "@/trpc/client";

function CountCard({ title, href, total, rows = [], note }: { title: string; href?: string; total: number | string; rows?: [string, number][]; note?: string }) {
  return (
    <section className="card" aria-label={title}>
      <h3>{href ? <Link href={href}>{title}</Link> : title}</h3>
      <div className="big">{total}</div>
      {rows.length > 0 && (
        <dl>
          {rows.map(([label, value]) => (
            <div key={label} style={{ display: "contents" }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {note && <p className="muted">{note}</p>}
    </section>
  );
}

export function OverviewView() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.overview.summary.queryOptions(undefined, { refetchInterval: 10_000 }));
  return (
    <>
      <h1>Overview</h1>
      <QueryView query={summary} what="the overview">
        {({ zones, meshes, dataplanes, services, policies, controlPlane }) => (
          <div className="cards">
            <CountCard title="Zones" href="/zones" total={zones.controlPlanes.total} rows={[["online", zones.controlPlanes.online], ["offline", zones.controlPlanes.offline]]} />
            <CountCard title="Meshes" href="/meshes" total={meshes.total} />
            <CountCard
              title="Dataplanes"
              href="/dataplanes"
              total={dataplanes.standard.total}
              rows={[
                ["online", dataplanes.standard.online],
                ["partially degraded", dataplanes.standard.partiallyDegraded],
                ["offline", dataplanes.standard.offline],
                ["gateways", dataplanes.gatewayBuiltin.total + dataplanes.gatewayDelegated.total],
              ]}
            />
            <CountCard title="Services" href="/services" total={services.total} rows={[["online", services.internal.online], ["offline", services.internal.offline]]} />
            <CountCard title="Policies" href="/policies" total={policies.total} />
            <CountCard
              title="Zone ingresses"
              href="/zone-ingresses"
              total={zones.zoneIngresses.total}
              rows={[["online", zones.zoneIngresses.online], ["offline", zones.zoneIngresses.offline]]}
            />
            <CountCard
              title="Control plane"
              total={controlPlane.version}
              note={`${controlPlane.mode ?? "unknown"} mode${controlPlane.hostname ? ` on ${controlPlane.hostname}` : ""}`}
            />
          </div>
        )}
      </QueryView>
    </>
  );
}
