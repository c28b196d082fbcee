"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { QueryView } from "@/components/states";
import { StatusBadge } from "@/components/status-badge";
import { Tags } from "@/components/tags";
import { Timestamp } from "@/components/time-ago";
import { useTRPC } from "@/trpc/client";
import { AppliedPolicies } from "./applied-policies";
import { XdsConfig } from "./xds-config";

const tagList = (tags: Record<string, string> = {}) => Object.entries(tags).map(([key, value]) => `${key}=${value}`);

export function DataplaneDetail({ mesh, name }: { mesh: string; name: string }) {
  const trpc = useTRPC();
  const dataplane = useQuery(trpc.dataplanes.get.queryOptions({ mesh, name }, { refetchInterval: 10_000 }));
  return (
    <>
      <p>
        <Link href={`/dataplanes?mesh=${encodeURIComponent(mesh)}`}>← Dataplanes of {mesh}</Link>
      </p>
      <h1>
        {dataplane.data?.displayName ?? name}{" "}
        <span className="muted">
          {dataplane.data?.zone ? `in zone ${dataplane.data.zone}, ` : "in "}mesh {mesh}
        </span>
      </h1>
      <QueryView query={dataplane} what="the dataplane">
        {(dp) => (
          <>
            <div className="cards">
              <section className="card">
                <h3>Status</h3>
                <StatusBadge status={dp.status} />
                <p>
                  Zone {dp.zone ?? "—"} · address <code>{dp.address}</code>
                </p>
                <p>
                  Last seen <Timestamp value={dp.lastSeen} />
                </p>
              </section>
              <section className="card">
                <h3>Certificate</h3>
                {dp.mTLS ? (
                  <dl>
                    <dt>expires</dt>
                    <dd>
                      <Timestamp value={dp.mTLS.certificateExpirationTime} />
                    </dd>
                    <dt>last rotated</dt>
                    <dd>
                      <Timestamp value={dp.mTLS.lastCertificateRegeneration} />
                    </dd>
                    <dt>rotations</dt>
                    <dd>{dp.mTLS.certificateRegenerations ?? 0}</dd>
                    <dt>issued by</dt>
                    <dd>{dp.mTLS.issuedBackend ?? "—"}</dd>
                  </dl>
                ) : (
                  <p className="muted">No certificate issued (mTLS off or not connected yet).</p>
                )}
              </section>
              <section className="card">
                <h3>Versions</h3>
                <p>kuma-dp {dp.dpVersion ?? "—"}</p>
                <p>Envoy {dp.envoyVersion ?? "—"}</p>
              </section>
            </div>

            <h2>Inbounds</h2>
            {dp.networking.gateway ? (
              <p>
                Gateway ({dp.networking.gateway.type ?? "DELEGATED"}) <Tags values={tagList(dp.networking.gateway.tags)} />
              </p>
            ) : (
              <table className="list">
                <thead>
                  <tr>
                    <th>Port</th>
                    <th>Service port</th>
                    <th>Tags</th>
                    <th>Ready</th>
                  </tr>
                </thead>
                <tbody>
                  {(dp.networking.inbound ?? []).map((inbound) => (
                    <tr key={inbound.port}>
                      <td>{inbound.port}</td>
                      <td>{inbound.servicePort ?? inbound.port}</td>
                      <td>
                        <Tags values={tagList(inbound.tags)} />
                      </td>
                      <td>{inbound.health?.ready === false || inbound.state === "NotReady" ? "no" : "yes"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}

            <h2>Outbounds</h2>
            {(dp.networking.outbound ?? []).length === 0 ? (
              <p className="muted">No explicit outbounds (transparent proxying reaches services through their VIPs).</p>
            ) : (
              <table className="list">
                <thead>
                  <tr>
                    <th>Port</th>
                    <th>Address</th>
                    <th>Service</th>
                  </tr>
                </thead>
                <tbody>
                  {(dp.networking.outbound ?? []).map((outbound) => (
                    <tr key={`${outbound.address ?? ""}:${outbound.port}`}>
                      <td>{outbound.port}</td>
                      <td>
                        <code>{outbound.address ?? "127.0.0.1"}</code>
                      </td>
                      <td>{outbound.tags?.["kuma.io/service"] ?? outbound.service}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}

            <h2>xDS subscriptions</h2>
            {dp.subscriptions.length === 0 ? (
              <p className="muted">Never connected.</p>
            ) : (
              <table className="list">
                <thead>
                  <tr>
                    <th>Control plane instance</th>
                    <th>Connected</th>
                    <th>Disconnected</th>
                    <th>Responses sent / acked / rejected</th>
                  </tr>
                </thead>
                <tbody>
                  {dp.subscriptions.map((subscription) => (
                    <tr key={subscription.id}>
                      <td>{subscription.controlPlaneInstanceId}</td>
                      <td>
                        <Timestamp value={subscription.connectTime} />
                      </td>
                      <td>
                        <Timestamp value={subscription.disconnectTime} />
                      </td>
                      <td>
                        {String(subscription.status.total?.responsesSent ?? 0)} / {String(subscription.status.total?.responsesAcknowledged ?? 0)} /{" "}
                        {String(subscription.status.total?.responsesRejected ?? 0)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}

            <h2>Policies that apply</h2>
            <AppliedPolicies rules={dp.rules} />

            <h2>xDS configuration</h2>
            <XdsConfig mesh={mesh} name={name} />
          </>
        )}
      </QueryView>
    </>
  );
}
