import { z } from "zod";
import { counterSchema, nonEmptyString, timestampSchema } from "../common/fields";

export const discoveryServiceStats = z.strictObject({
  responsesSent: counterSchema.optional(),
  responsesAcknowledged: counterSchema.optional(),
  responsesRejected: counterSchema.optional(),
});

/** Fields every subscription (xDS or KDS) shares; per-protocol fields are added by the insight types. */
export const subscriptionBase = {
  id: nonEmptyString,
  connectTime: timestampSchema,
  disconnectTime: timestampSchema.optional(),
  generation: z.number().int().min(0).optional(),
  version: z.record(z.string(), z.unknown()).optional(),
};
