"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PolicyTypeName } from "@zonemesh/resources";
import { ErrorState } from "@/components/states";
import { useTRPC } from "@/trpc/client";
import type { StoredPolicy } from "./policy-editor";

/** Delete in two steps: the first click only asks. */
export function DeletePolicy({ stored }: { stored: StoredPolicy }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.policies.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() });
        router.push(`/policies?type=${stored.type}&mesh=${encodeURIComponent(stored.mesh)}`);
      },
    }),
  );
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete…
      </button>
    );
  }
  return (
    <span className="confirm" role="alertdialog" aria-label="Confirm delete">
      Delete {stored.type} {stored.name} from mesh {stored.mesh}? Zones stop enforcing it.{" "}
      <button
        type="button"
        className="danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate({ type: stored.type as PolicyTypeName, mesh: stored.mesh, name: stored.name })}
      >
        Yes, delete
      </button>{" "}
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {remove.error && <ErrorState error={remove.error} />}
    </span>
  );
}
