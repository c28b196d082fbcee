import { initTRPC } from "@trpc/server";
import { CpProblem, type CpClient } from "./cp-client";

export interface Context {
  cp: CpClient;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const problem = error.cause instanceof CpProblem ? error.cause : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        // The CP's field errors (`spec.from[0].default.action`...), for forms to show at the field.
        invalidParameters: problem?.invalidParameters ?? [],
        cpStatus: problem?.status ?? null,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
