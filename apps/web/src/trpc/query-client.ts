import { QueryClient } from "@tanstack/react-query";

/** The browser's query client, and the one a server component prefetches into (same defaults, so same staleness). */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // Lists keep showing the previous page while the next one loads; the CP is polled, not pushed.
      queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false },
    },
  });
}
