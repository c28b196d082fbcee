"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { policyTypeNames, type PolicyTypeName } from "@zonemesh/resources";
import { ErrorState, QueryView } from "@/components/states";
import { policyTemplate, storedPolicyYaml } from "@/lib/policy-document";
import { useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";
import { PolicyEditor } from "./policy-editor";

/** `/policies/edit?type=&mesh=&name=`: edits the stored policy, or starts a new one when there is no name. */
export function PolicyEditorPage() {
  const { get } = useQueryState();
  const type = get("type");
  const mesh = get("mesh") || "default";
  const name = get("name");
  const back = (
    <p>
      <Link href={`/policies?type=${encodeURIComponent(type)}&mesh=${encodeURIComponent(mesh)}`}>← {type || "Policies"}</Link>
    </p>
  );
  if (!(policyTypeNames as string[]).includes(type)) {
    return (
      <>
        {back}
        <ErrorState error={{ message: `"${type}" is not a policy type; choose one of ${policyTypeNames.join(", ")}` }} />
      </>
    );
  }
  return (
    <>
      {back}
      {name ? (
        <StoredPolicyEditor type={type as PolicyTypeName} mesh={mesh} name={name} />
      ) : (
        <>
          <h1>New {type}</h1>
          <PolicyEditor key={`${type}/${mesh}`} initialText={policyTemplate(type, mesh)} stored={null} />
        </>
      )}
    </>
  );
}

function StoredPolicyEditor({ type, mesh, name }: { type: PolicyTypeName; mesh: string; name: string }) {
  const trpc = useTRPC();
  const stored = useQuery(trpc.policies.get.queryOptions({ type, mesh, name }, { staleTime: Infinity }));
  return (
    <>
      <h1>
        {type} {name} <span className="muted">in mesh {mesh}</span>
      </h1>
      <QueryView query={stored} what="the policy">
        {(policy) => {
          if (policy === null) return <ErrorState error={{ message: `${type} "${name}" does not exist in mesh "${mesh}" (deleted?)` }} />;
          const text = storedPolicyYaml(policy);
          return <PolicyEditor key={policy.modificationTime ?? text} initialText={text} stored={{ text, type, mesh, name, modificationTime: policy.modificationTime ?? null }} />;
        }}
      </QueryView>
    </>
  );
}
