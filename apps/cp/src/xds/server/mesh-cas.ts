import { AlreadyExistsError, type ResourceStore } from "@zonemesh/store";
import { ORIGIN_LABEL } from "../../kds/sync-types";
import { createMeshCa, loadProvidedCa, type BuiltinCaConf, type CertificateAuthority, type ProvidedCaConf } from "../ca/index";
import { meshSecretReader } from "./mesh-secrets";

/** A mesh's mTLS backend that certificates are issued from. */
export type CaBackend = { name: string } & ({ type: "builtin"; conf?: BuiltinCaConf } | { type: "provided"; conf: ProvidedCaConf });

// Kuma's names for a builtin backend's CA, stored as Secrets of the mesh.
export const caCertSecretName = (mesh: string, backend: string) => `${mesh}.ca-builtin-cert-${backend}`;
export const caKeySecretName = (mesh: string, backend: string) => `${mesh}.ca-builtin-key-${backend}`;

const toBase64 = (pem: string) => Buffer.from(pem).toString("base64");
const fromBase64 = (data: string) => Buffer.from(data, "base64").toString();

/**
 * The CA of each mesh's mTLS backend. A builtin one is read from its Secrets, created once when they do not exist yet,
 * except for a mesh synced from the global CP: its CA comes from the global too (KDS carries the Secrets), so that the
 * proxies of every zone trust each other. A zone creating its own would break every cross-zone connection. A provided
 * one is read from where its `conf` says (a Secret of the mesh, a file, inline) and checked.
 */
export class MeshCas {
  readonly #known = new Map<string, Promise<CertificateAuthority>>();

  constructor(private readonly store: ResourceStore) {}

  /** A Secret of the mesh changed (e.g. synced from the global CP): read its CAs again next time. */
  forget(mesh: string): void {
    for (const key of this.#known.keys()) if (key.startsWith(`${mesh}/`)) this.#known.delete(key);
  }

  get(mesh: string, backend: CaBackend): Promise<CertificateAuthority> {
    const key = `${mesh}/${backend.name}`;
    let ca = this.#known.get(key);
    if (!ca) {
      ca = backend.type === "provided" ? this.#loadProvided(mesh, backend.conf) : this.#load(mesh, backend.name, backend.conf);
      this.#known.set(key, ca);
      ca.catch(() => this.#known.delete(key));
    }
    return ca;
  }

  #loadProvided(mesh: string, conf: ProvidedCaConf): Promise<CertificateAuthority> {
    return loadProvidedCa(conf, meshSecretReader(this.store, mesh));
  }

  async #read(mesh: string, backend: string): Promise<CertificateAuthority | undefined> {
    const read = meshSecretReader(this.store, mesh);
    const [cert, key] = await Promise.all([read(caCertSecretName(mesh, backend)), read(caKeySecretName(mesh, backend))]);
    return cert !== undefined && key !== undefined ? { certPem: fromBase64(cert), keyPem: fromBase64(key) } : undefined;
  }

  async #load(mesh: string, backend: string, conf: BuiltinCaConf | undefined): Promise<CertificateAuthority> {
    const stored = await this.#read(mesh, backend);
    if (stored) return stored;
    const meshResource = await this.store.get({ type: "Mesh", mesh: "", name: mesh });
    if (meshResource?.labels[ORIGIN_LABEL] === "global") {
      throw new Error(`the CA of mesh "${mesh}" (mTLS backend "${backend}") has not arrived from the global CP yet (Secrets ${caCertSecretName(mesh, backend)} and ${caKeySecretName(mesh, backend)})`);
    }
    const ca = await createMeshCa(mesh, conf);
    try {
      // The key first: a cert Secret present means its key is too.
      await this.store.create({ type: "Secret", mesh, name: caKeySecretName(mesh, backend), spec: { data: toBase64(ca.keyPem) } });
      await this.store.create({ type: "Secret", mesh, name: caCertSecretName(mesh, backend), spec: { data: toBase64(ca.certPem) } });
      return ca;
    } catch (error) {
      // Another CP instance sharing the store created it first: use theirs.
      if (!(error instanceof AlreadyExistsError)) throw error;
      const theirs = await this.#read(mesh, backend);
      if (!theirs) throw new Error(`the CA Secrets of mesh "${mesh}" backend "${backend}" are half written; delete ${caKeySecretName(mesh, backend)} to start over`);
      return theirs;
    }
  }
}
