import type { Snapshot } from "../cache/snapshot";
import type { TypeUrl } from "../protos/type-urls";
import type { StreamInfo } from "./callbacks";
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DeltaResource } from "../protos/discovery-messages";
import type { ServerContext } from "./server-context";
import type { ProtocolStream } from "./stream-session";
import { isLegacyWildcardType, pushOrder, requireTypeUrl } from "./type-requests";
import { recordAcknowledgement } from "./acknowledgement";

const wildcard = "*";

interface DeltaSubscription {
  wildcard: boolean;
  names: Set<string>;
  /** Resource versions the proxy has (as far as we know): what it claimed on connect plus what we sent. */
  proxyVersions: Map<string, string>;
  /** Subscribed names already reported in removed_resources as not existing. */
  reportedAbsent: Set<string>;
  sentNonce?: string;
  sentVersion?: string;
}

function newSubscription(typeUrl: TypeUrl, request: DeltaDiscoveryRequest): DeltaSubscription {
  const subscribe = request.resource_names_subscribe ?? [];
  return {
    wildcard: subscribe.length === 0 && isLegacyWildcardType(typeUrl),
    names: new Set(),
    proxyVersions: new Map(Object.entries(request.initial_resource_versions ?? {})),
    reportedAbsent: new Set(),
  };
}

function applySubscriptionChanges(subscription: DeltaSubscription, request: DeltaDiscoveryRequest): void {
  for (const name of request.resource_names_subscribe ?? []) {
    if (name === wildcard) subscription.wildcard = true;
    else subscription.names.add(name);
  }
  for (const name of request.resource_names_unsubscribe ?? []) {
    if (name === wildcard) subscription.wildcard = false;
    else {
      subscription.names.delete(name);
      subscription.reportedAbsent.delete(name);
      if (!subscription.wildcard) subscription.proxyVersions.delete(name);
    }
  }
}

/**
 * Incremental xDS: only resources whose version differs from what the proxy has are sent, and
 * names it has that no longer exist come back in removed_resources. Versions are recorded as
 * sent, so a NACKed resource is not sent again until its content changes.
 */
export function createDeltaProtocol(stream: StreamInfo, context: ServerContext, send: (response: DeltaDiscoveryResponse) => void): ProtocolStream<DeltaDiscoveryRequest> {
  const { cache, callbacks, registry } = context;
  const nodeId = stream.node.id;
  const subscriptions = new Map<TypeUrl, DeltaSubscription>();

  const respond = (typeUrl: TypeUrl, subscription: DeltaSubscription, snapshot: Snapshot | undefined) => {
    const type = snapshot?.types.get(typeUrl);
    if (!type) return;
    const wanted = subscription.wildcard ? [...type.resources.values()] : [...subscription.names].flatMap((name) => type.resources.get(name) ?? []);
    const resources: DeltaResource[] = wanted
      .filter((r) => subscription.proxyVersions.get(r.name) !== r.version)
      .map((r) => ({ name: r.name, version: r.version, resource: r.any }));
    const gone = [...subscription.proxyVersions.keys()].filter((name) => !type.resources.has(name));
    // The incremental protocol tells a proxy that a name it asked for does not exist (rather than letting it time out).
    const absent = [...subscription.names].filter((name) => !type.resources.has(name) && !subscription.proxyVersions.has(name) && !subscription.reportedAbsent.has(name));
    const removed = [...gone, ...absent];
    if (resources.length === 0 && removed.length === 0) return;
    for (const r of resources) {
      subscription.proxyVersions.set(r.name, r.version);
      subscription.reportedAbsent.delete(r.name);
    }
    for (const name of removed) {
      subscription.proxyVersions.delete(name);
      if (subscription.names.has(name)) subscription.reportedAbsent.add(name);
    }
    const nonce = context.nextNonce();
    send({ system_version_info: type.version, resources, type_url: typeUrl, removed_resources: removed, nonce });
    subscription.sentNonce = nonce;
    subscription.sentVersion = type.version;
    registry.sent(nodeId, typeUrl, type.version, nonce);
    callbacks.onResponse?.(stream, { typeUrl, version: type.version, nonce, resourceNames: resources.map((r) => r.name), removedResources: removed });
  };

  return {
    handle(request) {
      const typeUrl = requireTypeUrl(request.type_url);
      let subscription = subscriptions.get(typeUrl);
      if (!subscription) subscriptions.set(typeUrl, (subscription = newSubscription(typeUrl, request)));
      else if (request.response_nonce && request.response_nonce === subscription.sentNonce) {
        recordAcknowledgement(context, stream, typeUrl, { version: subscription.sentVersion ?? "", nonce: request.response_nonce }, request.error_detail);
      }
      // Unlike SotW, a delta request is never ignored for a stale nonce: its subscription changes are not repeated later.
      applySubscriptionChanges(subscription, request);
      respond(typeUrl, subscription, cache.getSnapshot(nodeId));
    },
    onSnapshot(snapshot, changedTypes) {
      for (const typeUrl of pushOrder) {
        const subscription = subscriptions.get(typeUrl);
        if (subscription && changedTypes.includes(typeUrl)) respond(typeUrl, subscription, snapshot);
      }
    },
  };
}
