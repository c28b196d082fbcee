"use client";

import type { ReactNode } from "react";
import { useQueryState } from "@/lib/use-query-state";
import { FilterForm } from "./filter-form";

/** The `name` (substring) filter of a list page, after the page's other controls (`children`). */
export function NameFilter({ children }: { children?: ReactNode }) {
  const { get, set } = useQueryState();
  const name = get("name");
  return (
    <FilterForm onApply={(values) => set({ name: values.name })}>
      {children}
      <label>
        Name contains
        <input name="name" defaultValue={name} key={name} />
      </label>
    </FilterForm>
  );
}
