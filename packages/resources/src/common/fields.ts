import { z } from "zod";

export const portSchema = z.number().int().min(1).max(65535);
export const uint32Schema = z.number().int().min(0).max(4294967295);
export const nonEmptyString = z.string().min(1, { error: "cannot be empty" });
export const tagsSchema = z.record(z.string(), z.string());
export const timestampSchema = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });

/** Kuma's IntOrString percentages: 50 or "50.5", within 0..100. */
export const percentageSchema = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)], {
  error: "must be a number or a decimal string between 0 and 100",
}).refine((value) => Number(value) >= 0 && Number(value) <= 100, { error: "must be between 0 and 100" });

/** Protobuf JSON encodes uint64 counters as strings, so both forms are accepted. */
export const counterSchema = z.union([z.number().int().min(0), z.string().regex(/^\d+$/)], {
  error: "must be a non-negative integer",
});

export const base64Schema = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, { error: "must be base64-encoded bytes" });
