import type { WireStatus } from "../protos/discovery-messages";
import type { TypeUrl } from "../protos/type-urls";
import type { StreamInfo } from "./callbacks";
import type { ServerContext } from "./server-context";

function errorDetailMessage(detail: WireStatus): string {
  return detail.message || `NACK with status code ${detail.code ?? "unknown"} and no message`;
}

/** Records the proxy's answer to the response it names by nonce: an ACK, or a NACK if it carries error_detail. */
export function recordAcknowledgement(
  context: ServerContext,
  stream: StreamInfo,
  typeUrl: TypeUrl,
  answered: { version: string; nonce: string },
  errorDetail: WireStatus | undefined,
): void {
  const { version, nonce } = answered;
  const nodeId = stream.node.id;
  if (errorDetail) {
    const error = errorDetailMessage(errorDetail);
    context.registry.nacked(nodeId, typeUrl, { version, nonce, error, time: new Date() });
    context.callbacks.onNack?.(stream, { typeUrl, version, nonce, error });
  } else {
    context.registry.acked(nodeId, typeUrl, version);
    context.callbacks.onAck?.(stream, { typeUrl, version, nonce });
  }
}
