import { z } from "zod";
import { nonEmptyString } from "./fields";

/** Where a certificate or key comes from (Kuma's DataSource): a mesh Secret, a file on the CP, or inline data. */
export const dataSourceSchema = z.strictObject({
  secret: nonEmptyString.optional(),
  file: nonEmptyString.optional(),
  inline: z.string().optional(),
  inlineString: z.string().optional(),
});
export type DataSource = z.infer<typeof dataSourceSchema>;
