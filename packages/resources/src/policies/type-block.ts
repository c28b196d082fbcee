import type { z } from "zod";

/**
 * Kuma's "tagged block" objects (`type: RequestHeaderModifier` + `requestHeaderModifier: {...}`): the block named
 * for the chosen type has to be present. `blocks` maps each type needing a block to the block's field.
 */
export function requireBlockForType(blocks: Record<string, string>) {
  return (value: { type?: string } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    const field = value.type === undefined ? undefined : blocks[value.type];
    if (field && value[field] === undefined) {
      ctx.addIssue({ code: "custom", path: [field], message: `must be set when type is ${value.type}` });
    }
  };
}
