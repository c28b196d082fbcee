// The only place the BFF reads its environment.
import { z } from "zod";

const envSchema = z.object({
  ZONEMESH_API_URL: z.url({ error: "ZONEMESH_API_URL must be a URL, e.g. http://127.0.0.1:5681" }).default("http://127.0.0.1:5681"),
  ZONEMESH_API_TOKEN: z.string().min(1).optional(),
});

export interface ServerEnv {
  /** The global control plane's REST API. */
  cpApiUrl: string;
  /** Admin token sent to the CP; unnecessary when the BFF runs on the CP's host (loopback is admin). */
  cpApiToken: string | undefined;
}

export function readServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = envSchema.parse(env);
  return { cpApiUrl: parsed.ZONEMESH_API_URL, cpApiToken: parsed.ZONEMESH_API_TOKEN };
}
