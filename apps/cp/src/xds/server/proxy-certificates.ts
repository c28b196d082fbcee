import { durationToMillis, SERVICE_TAG, dataplaneTags } from "@zonemesh/resources";
import { defaultProxyCertTtlMs, issueProxyCertificate, needsRotation, type CertificateAuthority, type ProxyCertificate, type ProxyIdentity } from "../ca/index";
import type { DataplaneResource, ProxyCertificates } from "../generate/index";

export interface IssuedCertificate {
  certificate: ProxyCertificate;
  backend: string;
  issuedAt: Date;
  /** How many times this proxy's certificate was issued since it connected. */
  generation: number;
}

interface Held extends IssuedCertificate {
  caPem: string;
  identityKey: string;
}

function identityOf(dataplane: DataplaneResource): ProxyIdentity {
  const services: string[] = [];
  const tags: Record<string, string[]> = {};
  for (const set of dataplaneTags(dataplane)) {
    for (const [key, value] of Object.entries(set.tags)) {
      if (key === SERVICE_TAG) services.push(value);
      else (tags[key] ??= []).push(value);
    }
  }
  return { mesh: dataplane.mesh, services, tags };
}

/**
 * The certificate each connected proxy holds, issued again when the CA or the proxy's identity changes or when it
 * reaches its rotation point (`rotationDue` lists those, for a periodic check).
 */
export class ProxyCertificateStore {
  readonly #held = new Map<string, Held>();

  async forProxy(nodeId: string, dataplane: DataplaneResource, ca: CertificateAuthority, backend: { name: string; ttl?: string }): Promise<ProxyCertificates> {
    const identity = identityOf(dataplane);
    const identityKey = JSON.stringify(identity);
    let held = this.#held.get(nodeId);
    if (!held || held.caPem !== ca.certPem || held.identityKey !== identityKey || held.backend !== backend.name || needsRotation(held.certificate.certPem)) {
      const ttlMs = backend.ttl ? durationToMillis(backend.ttl) : defaultProxyCertTtlMs;
      const certificate = await issueProxyCertificate(ca, identity, ttlMs);
      held = { certificate, backend: backend.name, issuedAt: new Date(), generation: (held?.generation ?? 0) + 1, caPem: ca.certPem, identityKey };
      this.#held.set(nodeId, held);
    }
    return { identity: { certPem: held.certificate.certPem, keyPem: held.certificate.keyPem }, meshCaPem: ca.certPem };
  }

  get(nodeId: string): IssuedCertificate | undefined {
    return this.#held.get(nodeId);
  }

  forget(nodeId: string): void {
    this.#held.delete(nodeId);
  }

  rotationDue(now: Date = new Date()): string[] {
    return [...this.#held].filter(([, held]) => needsRotation(held.certificate.certPem, now)).map(([nodeId]) => nodeId);
  }

  size(): number {
    return this.#held.size;
  }
}
