import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "./root";
import type { Context } from "./trpc";

export const trpcEndpoint = "/api/trpc";

/** tRPC over HTTP (the GUI's batch link and automation with plain `curl` use the same endpoint). */
export function handleTrpcRequest(request: Request, context: () => Context = () => createContext()) {
  return fetchRequestHandler({ endpoint: trpcEndpoint, req: request, router: appRouter, createContext: context });
}
