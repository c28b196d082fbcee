import { z } from "zod";
import { nonEmptyString, portSchema, tagsSchema, uint32Schema } from "../common/fields";

export const zoneIngressBody = z.strictObject({
  zone: z.string().optional(),
  networking: z.strictObject({
    address: nonEmptyString,
    advertisedAddress: nonEmptyString.optional(),
    port: portSchema,
    advertisedPort: portSchema.optional(),
    admin: z.strictObject({ port: portSchema }).optional(),
  }),
  availableServices: z
    .array(
      z.strictObject({
        tags: tagsSchema,
        instances: uint32Schema,
        mesh: nonEmptyString,
        externalService: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type ZoneIngressBody = z.infer<typeof zoneIngressBody>;
