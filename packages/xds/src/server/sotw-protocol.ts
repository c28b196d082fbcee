import type { CachedResource, Snapshot, TypeSnapshot } from "../cache/snapshot";
import { versionOf } from "../cache/snapshot";
import type { TypeUrl } from "../protos/type-urls";
import type { StreamInfo } from "./callbacks";
import type { DiscoveryRequest, DiscoveryResponse } from "../protos/discovery-messages";
import type { ServerContext } from "./server-context";
import type { ProtocolStream } from "./stream-session";
import { isLegacyWildcardType, pushOrder, requireTypeUrl } from "./type-requests";
import { recordAcknowledgement } from "./acknowledgement";

const wildcard = "*";

interface SubscribedType {
  names: ReadonlySet<string> | typeof wildcard;
  sentVersion?: string;
  sentNonce?: string;
  /** The snapshot type the last response was taken from: with the same names, its version cannot have changed. */
  sentFrom?: TypeSnapshot;
}

function subscriptionOf(typeUrl: TypeUrl, names: readonly string[]): SubscribedType["names"] {
  if (names.includes(wildcard) || (names.length === 0 && isLegacyWildcardType(typeUrl))) return wildcard;
  return new Set(names);
}

function sameNames(a: SubscribedType["names"], b: SubscribedType["names"]): boolean {
  if (a === wildcard || b === wildcard) return a === b;
  if (a.size !== b.size) return false;
  for (const name of a) if (!b.has(name)) return false;
  return true;
}

/**
 * State of the World: every response carries all subscribed resources of a type. A response is
 * sent when the subscribed content's version differs from the last one sent on this stream, so
 * neither an identical snapshot nor a NACK leads to a resend.
 */
export function createSotwProtocol(stream: StreamInfo, context: ServerContext, send: (response: DiscoveryResponse) => void): ProtocolStream<DiscoveryRequest> {
  const { cache, callbacks, registry } = context;
  const nodeId = stream.node.id;
  const types = new Map<TypeUrl, SubscribedType>();

  const respond = (typeUrl: TypeUrl, subscribed: SubscribedType, snapshot: Snapshot | undefined, force: boolean) => {
    const type = snapshot?.types.get(typeUrl);
    if (!type) return;
    // Every ACK asks again with the same names: no need to version the named subset again (a hash per ACK).
    if (!force && type === subscribed.sentFrom) return;
    const all = type.resources;
    const { names } = subscribed;
    const selected: CachedResource[] = names === wildcard ? [...all.values()] : [...names].flatMap((name) => all.get(name) ?? []);
    // Named subscriptions most often name every resource of the type (Envoy's routes and endpoints): then the subset's
    // version is the type's, already computed.
    const version = names === wildcard || selected.length === all.size ? type.version : versionOf(selected);
    if (!force && version === subscribed.sentVersion) {
      subscribed.sentFrom = type;
      return;
    }
    const nonce = context.nextNonce();
    send({ version_info: version, resources: selected.map((r) => r.any), type_url: typeUrl, nonce });
    subscribed.sentVersion = version;
    subscribed.sentNonce = nonce;
    subscribed.sentFrom = type;
    registry.sent(nodeId, typeUrl, version, nonce);
    callbacks.onResponse?.(stream, { typeUrl, version, nonce, resourceNames: selected.map((r) => r.name), removedResources: [] });
  };

  return {
    handle(request) {
      const typeUrl = requireTypeUrl(request.type_url);
      const nonce = request.response_nonce ?? "";
      const known = types.get(typeUrl);
      const sentNonce = known?.sentNonce;
      // A nonce other than the latest answers a response already superseded: ignore it (xDS spec).
      // Before anything was sent on this stream, any nonce is from an earlier stream and means nothing.
      if (nonce !== "" && sentNonce !== undefined && nonce !== sentNonce) return;
      if (known && nonce !== "" && nonce === sentNonce) recordAcknowledgement(context, stream, typeUrl, { version: known.sentVersion ?? "", nonce }, request.error_detail);
      const subscribed: SubscribedType = known ?? { names: new Set() };
      const names = subscriptionOf(typeUrl, request.resource_names ?? []);
      if (!sameNames(names, subscribed.names)) subscribed.sentFrom = undefined;
      subscribed.names = names;
      types.set(typeUrl, subscribed);
      // The first request for a type on a stream is always answered, even if the proxy says it has that version.
      respond(typeUrl, subscribed, cache.getSnapshot(nodeId), !known);
    },
    onSnapshot(snapshot, changedTypes) {
      for (const typeUrl of pushOrder) {
        const subscribed = types.get(typeUrl);
        if (subscribed && changedTypes.includes(typeUrl)) respond(typeUrl, subscribed, snapshot, false);
      }
    },
  };
}
