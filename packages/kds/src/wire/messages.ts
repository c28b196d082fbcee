import { z } from "zod";

// Shapes of the decoded protobuf messages (proto-loader objects with camelCase fields,
// defaults and arrays filled in). Decoding alone accepts any bytes that happen to parse,
// so every message from a peer is checked against these before it is used.

const resourceVersion = z.object({ mesh: z.string(), name: z.string(), version: z.string() });

export const deltaDiscoveryRequestSchema = z.object({
  node: z.object({ zone: z.string(), instanceId: z.string(), version: z.string() }).nullable(),
  type: z.string(),
  initialResourceVersions: z.array(resourceVersion),
  responseNonce: z.string(),
  errorDetail: z.object({ code: z.number().int(), message: z.string() }).nullable(),
});

export const deltaDiscoveryResponseSchema = z.object({
  systemVersionInfo: z.string(),
  type: z.string(),
  resources: z.array(
    z.object({
      mesh: z.string(),
      name: z.string(),
      version: z.string(),
      labels: z.record(z.string(), z.string()),
      body: z.instanceof(Uint8Array),
    }),
  ),
  removedResources: z.array(z.object({ mesh: z.string(), name: z.string() })),
  nonce: z.string(),
});

export type DeltaDiscoveryRequest = z.infer<typeof deltaDiscoveryRequestSchema>;
export type DeltaDiscoveryResponse = z.infer<typeof deltaDiscoveryResponseSchema>;
export type WireResourceVersion = z.infer<typeof resourceVersion>;

export const globalRequestSchema = z.object({
  requestId: z.string().min(1),
  kind: z.string().min(1),
  payload: z.instanceof(Uint8Array),
});

export const zoneReplySchema = z.object({
  requestId: z.string().min(1),
  payload: z.instanceof(Uint8Array),
  error: z.object({ code: z.number().int(), message: z.string() }).nullable(),
});

export type GlobalRequest = z.infer<typeof globalRequestSchema>;
export type ZoneReply = z.infer<typeof zoneReplySchema>;
