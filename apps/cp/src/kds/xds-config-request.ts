// The "xds-config" request the global sends a zone over KDS: what the zone serves one of its proxies, as its own
// `/xds` route answers, so the global's API (and the GUI) can show it without reaching the zone's API.
import { z } from "zod";
import { ProblemError } from "../api/problem";
import type { ServedProxy } from "../xds/server/xds-routes";

export const XDS_CONFIG_REQUEST = "xds-config";

export const xdsConfigRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Dataplane"), mesh: z.string().min(1), name: z.string().min(1) }),
  z.object({ type: z.literal("ZoneIngress"), name: z.string().min(1) }),
]);

/** The zone's route answer: its body, or the 404 it gives a proxy that is not connected to it. */
export const xdsConfigAnswerSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal(200), body: z.record(z.string(), z.unknown()) }),
  z.object({ status: z.literal(404), detail: z.string() }),
]);

export type XdsConfigAnswer = z.infer<typeof xdsConfigAnswerSchema>;

/** The zone's handler of "xds-config" over `servedConfig` (the function behind its `/xds` routes). */
export function answerXdsConfig(servedConfig: (proxy: ServedProxy) => object): (payload: unknown) => XdsConfigAnswer {
  return (payload) => {
    const parsed = xdsConfigRequestSchema.safeParse(payload);
    if (!parsed.success) throw new Error(`invalid "${XDS_CONFIG_REQUEST}" request: ${z.prettifyError(parsed.error)}`);
    try {
      return { status: 200, body: servedConfig(parsed.data) as Record<string, unknown> };
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) return { status: 404, detail: error.detail };
      throw error;
    }
  };
}
