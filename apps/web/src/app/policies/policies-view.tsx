"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeTargetRef, policyTypeNames, type PolicyTypeName, type TargetRef } from "@zonemesh/resources";
import { FilterForm } from "@/components/filter-form";
import { MeshSelect } from "@/components/mesh-select";
import { PagedTable } from "@/components/paged-table";
import { Tags } from "@/components/tags";
import { Timestamp } from "@/components/time-ago";
import { policyEditorHref } from "@/lib/links";
import { usePage, useQueryState } from "@/lib/use-query-state";
import { useTRPC } from "@/trpc/client";

const isPolicyType = (value: string): value is PolicyTypeName => (policyTypeNames as string[]).includes(value);

export function PoliciesView() {
  const trpc = useTRPC();
  const { get, set } = useQueryState();
  const page = usePage();
  const mesh = get("mesh");
  const name = get("name");
  const type = isPolicyType(get("type")) ? (get("type") as PolicyTypeName) : "MeshTrafficPermission";
  const counts = useQuery(trpc.policies.counts.queryOptions({ mesh: mesh || undefined }));
  const policies = useQuery(
    trpc.policies.list.queryOptions({ ...page, type, mesh: mesh || undefined, name: name || undefined }, { placeholderData: keepPreviousData }),
  );
  return (
    <>
      <h1>Policies</h1>
      <FilterForm onApply={(values) => set({ name: values.name })}>
        <MeshSelect value={mesh} onChange={(value) => set({ mesh: value })} />
        <label>
          Name contains
          <input name="name" defaultValue={name} key={name} />
        </label>
      </FilterForm>
      <div className="policy-layout">
        <nav aria-label="Policy types" className="type-list">
          {policyTypeNames.map((policyType) => (
            <button key={policyType} type="button" className={policyType === type ? "active" : undefined} onClick={() => set({ type: policyType })}>
              {policyType}
              <span className="count">{counts.data?.find((count) => count.type === policyType)?.total ?? "…"}</span>
            </button>
          ))}
        </nav>
        <section>
          <p>
            <Link className="button primary" href={policyEditorHref(type, mesh || "default")}>
              New {type}
            </Link>
          </p>
          <PagedTable
            query={policies}
            what={`${type} policies`}
            page={page}
            empty={`No ${type} ${mesh ? `in mesh ${mesh}` : "in any mesh"}.`}
            rowKey={(policy) => `${policy.mesh}/${policy.name}`}
            columns={[
              { header: "Name", cell: (policy) => <Link href={policyEditorHref(policy.type, policy.mesh, policy.name)}>{policy.name}</Link> },
              { header: "Mesh", cell: (policy) => policy.mesh },
              { header: "Target", cell: (policy) => targetText(policy.body) },
              { header: "Labels", cell: (policy) => <Tags values={Object.entries(policy.labels).map(([key, value]) => `${key}=${value}`)} /> },
              { header: "Modified", cell: (policy) => <Timestamp value={policy.modificationTime} /> },
            ]}
          />
        </section>
      </div>
    </>
  );
}

function targetText(body: Record<string, unknown>): string {
  const targetRef = (body.spec as { targetRef?: TargetRef } | undefined)?.targetRef;
  return targetRef ? describeTargetRef(targetRef) : "Mesh";
}
