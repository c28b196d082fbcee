// Error bodies: RFC 9457 problem details as Kuma's current API returns them (`invalid_parameters`),
// plus the fields of Kuma's older error shape (`details`, `causes`) so clients of either work.

export interface InvalidParameter {
  field: string;
  reason: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  details: string;
  invalid_parameters: InvalidParameter[];
  causes: { field: string; message: string }[];
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParameters: InvalidParameter[] = [],
  ) {
    super(detail);
    this.name = "ProblemError";
  }
}

const slugs: Record<number, string> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  500: "internal-error",
};

export function problemBody(problem: ProblemError): ProblemBody {
  return {
    type: `/problems/${slugs[problem.status] ?? "error"}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    details: problem.detail,
    invalid_parameters: problem.invalidParameters,
    causes: problem.invalidParameters.map((p) => ({ field: p.field, message: p.reason })),
  };
}

export const badRequest = (detail: string, invalid: InvalidParameter[] = []) =>
  new ProblemError(400, "Bad Request", detail, invalid);

export const notFound = (detail: string, invalid: InvalidParameter[] = []) =>
  new ProblemError(404, "Not Found", detail, invalid);

export const conflict = (detail: string, invalid: InvalidParameter[] = []) =>
  new ProblemError(409, "Conflict", detail, invalid);

export const unauthorized = (detail: string) => new ProblemError(401, "Unauthorized", detail);
