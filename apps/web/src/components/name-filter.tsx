"use client";

import { useQueryState } from "@/lib/use-query-state";
import { FilterForm } from "./filter-form";

/** The `name` (substring) filter of a list page. */
export function NameFilter() {
  const { get, set } = useQueryState();
  const name = get("name");
  return (
    <FilterForm onApply={(values) => set({ name: values.name })}>
      <label>
        Name contains
        <input name="name" defaultValue={name} key={name} />
      </label>
    </FilterForm>
  );
}
