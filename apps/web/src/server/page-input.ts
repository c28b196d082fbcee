import { z } from "zod";

/** Paging of every list procedure; the CP caps pages at 1000, the GUI asks for far less. */
export const pageInput = z.object({
  offset: z.number().int().min(0).default(0),
  size: z.number().int().min(1).max(1000).default(25),
});
