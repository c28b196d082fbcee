import type { Permission, Principal, RbacRules } from "@zonemesh/xds";
import { compileHeaderMatcher, type HeaderLookup } from "./header-matcher";
import type { PeerSans } from "./tls-context";
import { compileStringMatcher } from "./string-matcher";

/** What RBAC sees of a connection or request. */
export interface RbacSubject {
  /** The peer's verified certificate SANs; undefined without mTLS. */
  peer: PeerSans | undefined;
  destinationPort: number;
  headers?: HeaderLookup;
  path?: string;
}

type Check = (subject: RbacSubject) => boolean;

function compilePrincipal(principal: Principal): Check {
  if (principal.any) return () => true;
  if (principal.authenticated) {
    const name = principal.authenticated.principal_name;
    if (!name) return (subject) => subject.peer !== undefined;
    const test = compileStringMatcher(name);
    // Envoy matches principal_name against the URI SANs first, then the DNS SANs.
    return (subject) => subject.peer !== undefined && (subject.peer.uri.some(test) || subject.peer.dns.some(test));
  }
  if (principal.and_ids) {
    const ids = principal.and_ids.ids.map(compilePrincipal);
    return (subject) => ids.every((id) => id(subject));
  }
  if (principal.or_ids) {
    const ids = principal.or_ids.ids.map(compilePrincipal);
    return (subject) => ids.some((id) => id(subject));
  }
  if (principal.not_id) {
    const id = compilePrincipal(principal.not_id);
    return (subject) => !id(subject);
  }
  throw new Error("principal has no rule");
}

function compilePermission(permission: Permission): Check {
  if (permission.any) return () => true;
  if (permission.destination_port !== undefined) return (subject) => subject.destinationPort === permission.destination_port;
  if (permission.header) {
    const matches = compileHeaderMatcher(permission.header);
    return (subject) => subject.headers !== undefined && matches(subject.headers);
  }
  if (permission.url_path) {
    const test = compileStringMatcher(permission.url_path.path);
    return (subject) => subject.path !== undefined && test(subject.path.split("?")[0] ?? "");
  }
  if (permission.and_rules) {
    const rules = permission.and_rules.rules.map(compilePermission);
    return (subject) => rules.every((rule) => rule(subject));
  }
  if (permission.or_rules) {
    const rules = permission.or_rules.rules.map(compilePermission);
    return (subject) => rules.some((rule) => rule(subject));
  }
  if (permission.not_rule) {
    const rule = compilePermission(permission.not_rule);
    return (subject) => !rule(subject);
  }
  throw new Error("permission has no rule");
}

/**
 * Envoy's RBAC: a policy matches when one of its permissions and one of its principals match. ALLOW lets through
 * only matching subjects (no policies: nobody), DENY refuses matching ones. Absent rules allow everything.
 */
export function compileRbacRules(rules: RbacRules | undefined): (subject: RbacSubject) => boolean {
  if (!rules) return () => true;
  const action = rules.action ?? "ALLOW";
  if (action !== "ALLOW" && action !== "DENY") throw new Error(`RBAC action ${action} is not supported`);
  const policies = Object.values(rules.policies ?? {}).map((policy) => {
    const permissions = policy.permissions.map(compilePermission);
    const principals = policy.principals.map(compilePrincipal);
    return (subject: RbacSubject) => permissions.some((p) => p(subject)) && principals.some((p) => p(subject));
  });
  return (subject) => {
    const matched = policies.some((policy) => policy(subject));
    return action === "ALLOW" ? matched : !matched;
  };
}
