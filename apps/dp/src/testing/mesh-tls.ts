import { X509Certificate } from "node:crypto";
import type net from "node:net";
import tls from "node:tls";
import type { CertificateAuthority } from "../../../cp/src/xds/ca/index";
import { proxyIdentity } from "./mesh-certificates";

export interface MeshTlsBackend {
  port: number;
  /** SHA-256 fingerprint of the backend's certificate, as a TLS client sees it. */
  fingerprint: string;
  /** The URI SANs of the client certificates the backend verified. */
  peers: string[];
  close(): Promise<void>;
}

const uriSans = (certificate: tls.PeerCertificate) => (certificate.subjectaltname ?? "").split(", ").filter((san) => san.startsWith("URI:")).map((san) => san.slice(4));

/**
 * A TLS server with the mesh identity of `service` that requires a client certificate of the same mesh (as a
 * destination proxy's inbound listener does) and answers every chunk with `<service>:<chunk>`.
 */
export async function meshTlsEchoBackend(ca: CertificateAuthority, mesh: string, service: string): Promise<MeshTlsBackend> {
  const identity = await proxyIdentity(ca, mesh, service);
  const peers: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ ...identity, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
    peers.push(...uriSans(socket.getPeerCertificate()));
    socket.on("data", (chunk: Buffer) => socket.write(`${service}:${chunk.toString()}`));
    socket.on("error", () => {});
  });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    fingerprint: new X509Certificate(identity.cert).fingerprint256,
    peers,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface MeshTlsClient {
  /** The mesh identity the client presents. */
  identity: { cert: string; key: string };
  ca: CertificateAuthority;
}

export async function meshTlsClient(ca: CertificateAuthority, mesh: string, service: string): Promise<MeshTlsClient> {
  return { identity: await proxyIdentity(ca, mesh, service), ca };
}

/**
 * Connects as a mesh proxy would to a remote service: TLS to `port` with `sni`, client certificate, the server
 * verified against the mesh CA and required to be `spiffe://<mesh>/<service>`. Sends `message` and resolves with the
 * first answer and the certificate the handshake was made with.
 */
export function meshTlsExchange(port: number, client: MeshTlsClient, sni: string, expected: { mesh: string; service: string }, message: string): Promise<{ answer: string; serverFingerprint: string }> {
  const spiffe = `spiffe://${expected.mesh}/${expected.service}`;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername: sni,
      ...client.identity,
      ca: client.ca.certPem,
      checkServerIdentity: (_host, certificate) => (uriSans(certificate).includes(spiffe) ? undefined : new Error(`server is ${uriSans(certificate).join(",")}, not ${spiffe}`)),
    });
    socket.once("secureConnect", () => socket.write(message));
    socket.once("data", (chunk: Buffer) => {
      resolve({ answer: chunk.toString(), serverFingerprint: socket.getPeerCertificate().fingerprint256 });
      socket.destroy();
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error("connection closed without an answer")));
  });
}
