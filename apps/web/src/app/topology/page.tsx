import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Suspense } from "react";
import { Loading } from "@/components/states";
import { serverTrpc } from "@/trpc/server";
import { topologyInput } from "./topology-input";
import { TopologyView } from "./topology-view";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The graph (and the mesh list) are read while the page renders on the server and arrive with the HTML, so the
 * browser draws the graph right after hydration instead of asking for it then. The shell streams first.
 */
export default function TopologyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return (
    <Suspense fallback={<Loading what="the topology" />}>
      <PrefetchedTopology searchParams={searchParams} />
    </Suspense>
  );
}

async function PrefetchedTopology({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const first = (key: string) => [params[key]].flat()[0] ?? "";
  const { queryClient, trpc } = serverTrpc();
  // A failed read is not dehydrated: the browser asks again and shows the error with its retry.
  await Promise.all([queryClient.prefetchQuery(trpc.topology.graph.queryOptions(topologyInput(first))), queryClient.prefetchQuery(trpc.meshes.names.queryOptions())]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <TopologyView />
    </HydrationBoundary>
  );
}
