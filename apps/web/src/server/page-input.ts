import { z } from "zod";

/** Paging of every list procedure; the CP caps pages at 1000, the GUI asks for far less. */
export const pageInput = z.object({
  offset: z.number().int().min(0).default(0),
  size: z.number().int().min(1).max(1000).default(25),
});

/** One page of a list already held in memory (views the BFF assembles from several CP calls). */
export function pageOf<T>(items: T[], { offset, size }: { offset: number; size: number }) {
  return { total: items.length, items: items.slice(offset, offset + size) };
}
