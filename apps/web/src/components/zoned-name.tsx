import Link from "next/link";

/**
 * A dataplane or zone ingress by the name it has in its zone, with the zone beside it. The link (to the stored,
 * zone-scoped name) covers the name only.
 */
export function ZonedName({ name, zone, href }: { name: string; zone: string | null; href?: string }) {
  return (
    <>
      {href ? <Link href={href}>{name}</Link> : name}
      {zone && <span className="muted"> · {zone}</span>}
    </>
  );
}
