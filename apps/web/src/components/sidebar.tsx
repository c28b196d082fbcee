"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "/", label: "Overview" },
  { href: "/zones", label: "Zones" },
  { href: "/meshes", label: "Meshes" },
  { href: "/services", label: "Services" },
  { href: "/dataplanes", label: "Dataplanes" },
  { href: "/policies", label: "Policies" },
  { href: "/external-services", label: "External services" },
  { href: "/zone-ingresses", label: "Zone ingresses" },
  { href: "/topology", label: "Topology" },
] as const;

export function Sidebar() {
  const pathname = usePathname();
  const isActive = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">zonemesh</div>
      <ul>
        {sections.map((section) => (
          <li key={section.href}>
            {/* Not prefetched: eight route prefetches on every page load queued the page's own data calls behind them. */}
            <Link href={section.href} prefetch={false} className={isActive(section.href) ? "active" : undefined} aria-current={isActive(section.href) ? "page" : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
