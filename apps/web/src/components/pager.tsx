"use client";

import { useQueryState } from "@/lib/use-query-state";

export function Pager({ total, offset, size }: { total: number; offset: number; size: number }) {
  const { set } = useQueryState();
  if (total === 0) return null;
  const last = Math.min(offset + size, total);
  return (
    <div className="pager">
      <span>
        {offset + 1}–{last} of {total}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => set({ offset: Math.max(0, offset - size) || undefined })}>
        Previous
      </button>
      <button type="button" disabled={last >= total} onClick={() => set({ offset: offset + size })}>
        Next
      </button>
    </div>
  );
}
