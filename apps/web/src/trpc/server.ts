// Server components call procedures in-process (no HTTP round trip) and hand the answers to the browser's query
// client as dehydrated state, so a page's first render there already has its data.
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { appRouter, createContext } from "@/server/root";
import { makeQueryClient } from "./query-client";

export function serverTrpc() {
  const queryClient = makeQueryClient();
  const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: () => createContext(), queryClient });
  return { queryClient, trpc };
}
