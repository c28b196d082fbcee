import { z } from "zod";
import { nonEmptyString, portSchema } from "../common/fields";

export const zoneEgressBody = z.strictObject({
  zone: z.string().optional(),
  networking: z.strictObject({
    address: nonEmptyString,
    port: portSchema,
    admin: z.strictObject({ port: portSchema }).optional(),
  }),
});
export type ZoneEgressBody = z.infer<typeof zoneEgressBody>;
