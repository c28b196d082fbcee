"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ErrorState } from "@/components/states";
import { policyEditorHref } from "@/lib/links";
import { checkPolicyText, wireOf, writeField, type FieldPath } from "@/lib/policy-document";
import { useTRPC } from "@/trpc/client";
import { DeletePolicy } from "./delete-policy";
import { PolicyForm } from "./policy-form";
import { PolicyPreview } from "./policy-preview";
import { YamlEditor } from "./yaml-editor";

export interface StoredPolicy {
  text: string;
  modificationTime: string | null;
  type: string;
  mesh: string;
  name: string;
}

export function PolicyEditor({ initialText, stored }: { initialText: string; stored: StoredPolicy | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [text, setText] = useState(initialText);
  const check = useMemo(() => checkPolicyText(text), [text]);
  const upsert = useMutation(
    trpc.policies.upsert.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() });
        if (!stored) router.replace(policyEditorHref(saved.type, saved.mesh, saved.name));
      },
    }),
  );
  const setField = (path: FieldPath, value: string | Record<string, string> | undefined) => setText((current) => writeField(current, path, value));
  const unchanged = stored !== null && text === stored.text;

  return (
    <div className="editor">
      <div className="split">
        <section>
          <YamlEditor value={text} onChange={setText} />
          {check.errors.length > 0 && (
            <ul className="validation" aria-label="Validation errors">
              {check.errors.map((error) => (
                <li key={`${error.field}:${error.reason}`} className="field-error">
                  <code>{error.field || "(document)"}</code>: {error.reason}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <PolicyForm text={text} errors={check.errors} onChange={setField} identityLocked={stored !== null} />
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={!check.ok || unchanged || upsert.isPending}
              onClick={() => check.ok && upsert.mutate(wireOf(check.resource))}
            >
              {upsert.isPending ? "Applying…" : stored ? "Apply changes" : "Create policy"}
            </button>
            {stored && <DeletePolicy stored={stored} />}
          </div>
          {upsert.error && <ErrorState error={upsert.error} />}
          {check.ok ? (
            <PolicyPreview
              resource={check.resource}
              storedText={stored?.text ?? ""}
              storedModificationTime={stored?.modificationTime ?? null}
              text={text}
            />
          ) : (
            <p className="muted">Fix the errors to see which dataplanes this policy selects.</p>
          )}
        </section>
      </div>
    </div>
  );
}
