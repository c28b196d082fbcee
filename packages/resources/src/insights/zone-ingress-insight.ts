import { z } from "zod";
import { xdsSubscription } from "./dataplane-insight";

export const zoneIngressInsightBody = z.strictObject({ subscriptions: z.array(xdsSubscription).optional() });
export type ZoneIngressInsightBody = z.infer<typeof zoneIngressInsightBody>;
