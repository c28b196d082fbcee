"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** A mesh picker; "" is every mesh unless `required`. */
export function MeshSelect({ value, onChange, required = false }: { value: string; onChange: (mesh: string) => void; required?: boolean }) {
  const trpc = useTRPC();
  const meshes = useQuery(trpc.meshes.names.queryOptions());
  return (
    <label>
      Mesh
      <select name="mesh" value={value} onChange={(event) => onChange(event.target.value)} disabled={meshes.isPending}>
        {!required && <option value="">all meshes</option>}
        {required && !value && <option value="">choose a mesh</option>}
        {(meshes.data ?? []).map((mesh) => (
          <option key={mesh} value={mesh}>
            {mesh}
          </option>
        ))}
      </select>
    </label>
  );
}
