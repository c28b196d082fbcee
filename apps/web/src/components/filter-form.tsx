"use client";

import type { FormEvent, ReactNode } from "react";

/** Text filters apply on Enter/Apply (one history entry per search, not per keystroke). */
export function FilterForm({ onApply, children }: { onApply: (values: Record<string, string>) => void; children: ReactNode }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onApply(Object.fromEntries([...data.entries()].map(([key, value]) => [key, String(value).trim()])));
  };
  return (
    <form className="filters" onSubmit={submit} role="search">
      {children}
      <button type="submit">Apply</button>
    </form>
  );
}
