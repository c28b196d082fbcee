import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@/server/root";

// Reads the CP on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

function handler(request: Request) {
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createContext() });
}

export { handler as GET, handler as POST };
