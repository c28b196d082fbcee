const labels: Record<string, string> = {
  online: "online",
  offline: "offline",
  partially_degraded: "partially degraded",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{labels[status] ?? status}</span>;
}

export function OnlineBadge({ online }: { online: boolean }) {
  return <StatusBadge status={online ? "online" : "offline"} />;
}
