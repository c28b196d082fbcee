import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AlreadyExistsError, ConflictError, NotFoundError } from "@zonemesh/store";
import { yamlContentTypes } from "./body-parsers";
import { ProblemError, conflict, notFound, problemBody } from "./problem";

/** Maps anything a handler (or fastify itself) throws to a problem; only unexpected errors become a 500. */
export function toProblem(error: unknown, request?: FastifyRequest): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof NotFoundError) return notFound(error.message);
  if (error instanceof AlreadyExistsError) return conflict(error.message, [{ field: "name", reason: "already exists" }]);
  if (error instanceof ConflictError) {
    return conflict(error.message, [
      { field: "version", reason: `stale: you sent ${error.expectedVersion}, the current version is ${error.actualVersion}` },
    ]);
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const reason = `content type "${request?.headers["content-type"] ?? ""}" is not supported: send ${["application/json", ...yamlContentTypes].join(" or ")}`;
    return new ProblemError(415, "Unsupported Media Type", reason, [{ field: "body", reason }]);
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new ProblemError(status, fastifyTitle(fastifyError.code), fastifyError.message ?? "bad request", [
      { field: "body", reason: fastifyError.message ?? "rejected" },
    ]);
  }
  return new ProblemError(500, "Internal Server Error", "the server failed to handle the request; see its log");
}

function fastifyTitle(code: string | undefined): string {
  return code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "Payload Too Large" : "Bad Request";
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, "request failed");
  return reply.status(problem.status).type("application/problem+json").send(problemBody(problem));
}
