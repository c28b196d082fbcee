import { z } from "zod";

export const zoneBody = z.strictObject({ enabled: z.boolean().optional() });
export type ZoneBody = z.infer<typeof zoneBody>;
