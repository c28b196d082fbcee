import { z } from "zod";
import { base64Schema } from "../common/fields";

/** Secret and GlobalSecret share this body: `data` is the base64 of the secret bytes. */
export const secretBody = z.strictObject({ data: base64Schema });
export type SecretBody = z.infer<typeof secretBody>;
