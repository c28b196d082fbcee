import { z } from "zod";
import { nonEmptyString } from "../common/fields";

export const headerMatchSchema = z.strictObject({
  type: z.enum(["Exact", "Present", "RegularExpression", "Absent", "Prefix"]).optional(),
  name: nonEmptyString,
  value: z.string().optional(),
});

const headerKeyValue = z.strictObject({ name: nonEmptyString, value: z.string() });

export const headerModifierSchema = z.strictObject({
  set: z.array(headerKeyValue).max(16).optional(),
  add: z.array(headerKeyValue).max(16).optional(),
  remove: z.array(nonEmptyString).max(16).optional(),
});
