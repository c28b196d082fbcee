"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Resource } from "@zonemesh/resources";
import { ErrorState } from "@/components/states";
import { ZonedName } from "@/components/zoned-name";
import { dataplaneHref } from "@/lib/links";
import { wireOf } from "@/lib/policy-document";
import { useTRPC } from "@/trpc/client";
import { TextDiff } from "./text-diff";

const PREVIEW_DELAY_MS = 400;

/** The CP's dry run reports the stored version as it is now: warn when it is not the one the editor opened. */
function ConcurrentChange({ current, opened }: { current: string | null; opened: string | null }) {
  if (current === opened) return null;
  return (
    <p className="state error" role="alert">
      {opened === null
        ? "A policy with this name already exists: applying replaces it."
        : current === null
          ? "This policy was deleted since you opened it: applying creates it again."
          : "Someone changed this policy since you opened it: applying overwrites their change. Reload to see it."}
    </p>
  );
}

/** The CP's dry run of the valid policy being edited: affected dataplanes, then the diff against the stored version. */
export function PolicyPreview({
  resource,
  storedText,
  storedModificationTime,
  text,
}: {
  resource: Resource;
  storedText: string;
  /** When the version the editor opened was last modified; null for a new policy. */
  storedModificationTime: string | null;
  text: string;
}) {
  const trpc = useTRPC();
  const { mutate, data, error, isPending } = useMutation(trpc.policies.preview.mutationOptions());
  const key = JSON.stringify(wireOf(resource));
  useEffect(() => {
    const timer = setTimeout(() => mutate(JSON.parse(key) as ReturnType<typeof wireOf>), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, mutate]);

  return (
    <section className="preview" aria-label="Preview">
      <h2>Affected dataplanes {isPending && <span className="muted">(updating…)</span>}</h2>
      {error && <ErrorState error={error} />}
      {data && <ConcurrentChange current={data.stored?.modificationTime ?? null} opened={storedModificationTime} />}
      {data && (
        <>
          {data.dataplanes.selected.length === 0 ? (
            <p className="muted">This policy selects no dataplane.</p>
          ) : (
            <ul className="affected">
              {data.dataplanes.selected.map((dp) => (
                <li key={dp.name}>
                  <ZonedName name={dp.displayName} zone={dp.zone} href={dataplaneHref(dp.mesh, dp.name)} />
                  {data.dataplanes.added.some((added) => added.name === dp.name) && data.stored && <span className="tag">newly selected</span>}
                </li>
              ))}
            </ul>
          )}
          {data.dataplanes.removed.length > 0 && (
            <p>
              No longer selected:{" "}
              {data.dataplanes.removed.map((dp, index) => (
                <span key={dp.name}>
                  {index > 0 && ", "}
                  <ZonedName name={dp.displayName} zone={dp.zone} />
                </span>
              ))}
            </p>
          )}
        </>
      )}
      <h2>Changes</h2>
      {storedText ? <TextDiff before={storedText} after={text} /> : <p className="muted">New policy: nothing stored yet.</p>}
    </section>
  );
}
