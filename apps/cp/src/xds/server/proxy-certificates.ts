import { durationToMillis } from "@zonemesh/resources";
import { defaultProxyCertTtlMs, issueProxyCertificate, proxyIdentity, type CertificateAuthority, type ProxyCertificate } from "../ca/index";
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

const due = (held: Held, now: number) => now >= held.certificate.rotateAt.getTime();

/**
 * The certificate each connected proxy holds, issued again when the CA or the proxy's identity changes or when it
 * reaches its rotation point (`rotationDue` lists those, `nextRotationAt` tells when to look next).
 */
export class ProxyCertificateStore {
  readonly #held = new Map<string, Held>();

  async forProxy(nodeId: string, dataplane: DataplaneResource, ca: CertificateAuthority, backend: { name: string; ttl?: string }): Promise<ProxyCertificates> {
    const identity = proxyIdentity(dataplane);
    const identityKey = JSON.stringify(identity);
    let held = this.#held.get(nodeId);
    if (!held || held.caPem !== ca.certPem || held.identityKey !== identityKey || held.backend !== backend.name || due(held, Date.now())) {
      const ttlMs = backend.ttl ? durationToMillis(backend.ttl) : defaultProxyCertTtlMs;
      const certificate = await issueProxyCertificate(ca, identity, ttlMs);
      const issuedAt = new Date();
      held = { certificate, backend: backend.name, issuedAt, generation: (held?.generation ?? 0) + 1, caPem: ca.certPem, identityKey };
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

  rotationDue(now: number = Date.now()): string[] {
    return [...this.#held].filter(([, held]) => due(held, now)).map(([nodeId]) => nodeId);
  }

  /** The earliest rotation point of the certificates held (epoch ms); undefined when none is held. */
  nextRotationAt(): number | undefined {
    let next: number | undefined;
    for (const held of this.#held.values()) next = Math.min(next ?? Infinity, held.certificate.rotateAt.getTime());
    return next;
  }

  size(): number {
    return this.#held.size;
  }
}
