import { initTRPC } from "@trpc/server";
import { ZodError } from "zod";
import { CpProblem, type CpClient } from "./cp-client";

export interface Context {
  cp: CpClient;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const problem = error.cause instanceof CpProblem ? error.cause : null;
    const inputIssues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => ({ field: issue.path.map(String).join("."), reason: issue.message }))
        : [];
    return {
      ...shape,
      // tRPC's default message for invalid input is the issues as JSON; say it in words instead.
      message: inputIssues.length > 0 ? `input is not valid: ${inputIssues.map((i) => `${i.field || "(input)"}: ${i.reason}`).join("; ")}` : shape.message,
      data: {
        ...shape.data,
        // Field errors (`spec.from[0].default.action`...) from input validation or the CP, for forms to show at the field.
        invalidParameters: problem?.invalidParameters ?? inputIssues,
        cpStatus: problem?.status ?? null,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
