import { status } from "@grpc/grpc-js";

/** Ends the stream with this gRPC status and message. */
export class StreamError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export function toGrpcStatus(error: unknown): { code: status; details: string } {
  if (error instanceof StreamError) return { code: error.code, details: error.message };
  return { code: status.INTERNAL, details: `xDS server error: ${(error as Error)?.message ?? String(error)}` };
}
