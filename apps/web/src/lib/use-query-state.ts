"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type QueryPatch = Record<string, string | number | undefined | null>;

/**
 * Page state kept in the query string, so every filter and page is a shareable link and the back
 * button undoes it. Changing anything but `offset` goes back to the first page.
 */
export function useQueryState() {
  const params = useSearchParams();
  const pathname = usePathname();

  const get = useCallback((key: string) => params.get(key) ?? "", [params]);

  const set = useCallback(
    (patch: QueryPatch) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || value === null || value === "") next.delete(key);
        else next.set(key, String(value));
      }
      if (!("offset" in patch)) next.delete("offset");
      const query = next.toString();
      // The views read their state from the query string and fetch through tRPC: a history entry is enough (Next's
      // router follows it and useSearchParams changes), a router.push would also render the page on the server again.
      window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [params, pathname],
  );

  return { get, set, params };
}

/** `offset`/`size` from the query string, clamped to what the BFF accepts. */
export function usePage(defaultSize = 25) {
  const { get } = useQueryState();
  const offset = Math.max(0, Number.parseInt(get("offset"), 10) || 0);
  const size = Math.min(200, Math.max(1, Number.parseInt(get("size"), 10) || defaultSize));
  return { offset, size };
}
