/**
 * What Envoy's tls_inspector reads from the first bytes of a connection: whether they are a TLS ClientHello and, if
 * so, its server name (SNI) and ALPN protocols. Nothing is decrypted or answered: the bytes stay as they are.
 */
export type ClientHelloInspection =
  | { kind: "incomplete" }
  | { kind: "not-tls" }
  | { kind: "too-large" }
  | { kind: "tls"; serverName: string | undefined; applicationProtocols: string[] };

/** Envoy's default `max_client_hello_size`: a larger ClientHello closes the connection. */
export const maxClientHelloBytes = 64 * 1024;

const recordHeaderBytes = 5;
const handshakeRecord = 0x16;
const clientHelloType = 0x01;
const serverNameExtension = 0x0000;
const alpnExtension = 0x0010;
const hostNameType = 0x00;

class Truncated extends Error {}

/** A bounds-checked reader over the handshake message; running past the end means the message is malformed. */
class Reader {
  #offset = 0;
  constructor(readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.#offset;
  }
  u8(): number {
    return this.take(1).readUInt8(0);
  }
  u16(): number {
    return this.take(2).readUInt16BE(0);
  }
  take(length: number): Buffer {
    if (length > this.remaining) throw new Truncated();
    const slice = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }
  vector(lengthBytes: 1 | 2): Reader {
    return new Reader(this.take(lengthBytes === 1 ? this.u8() : this.u16()));
  }
}

/**
 * Reassembles the handshake bytes carried by the leading TLS records (a ClientHello may be split over several).
 * Returns undefined while more bytes are needed.
 */
function handshakeBytes(data: Buffer): Buffer | "not-tls" | "too-large" | undefined {
  const fragments: Buffer[] = [];
  let offset = 0;
  let needed: number | undefined;
  let collected = 0;
  while (needed === undefined || collected < needed) {
    if (data.length < offset + recordHeaderBytes) return data.length > offset && data[offset] !== handshakeRecord ? "not-tls" : undefined;
    if (data[offset] !== handshakeRecord || data[offset + 1] !== 0x03) return "not-tls";
    const length = data.readUInt16BE(offset + 3);
    if (length === 0) return "not-tls";
    if (data.length < offset + recordHeaderBytes + length) {
      // The handshake header may already tell, before the first record is complete, that this is no (usable) ClientHello.
      if (offset > 0 || length < 4 || data.length < recordHeaderBytes + 4) return undefined;
      if (data[recordHeaderBytes] !== clientHelloType) return "not-tls";
      return 4 + data.readUIntBE(recordHeaderBytes + 1, 3) > maxClientHelloBytes ? "too-large" : undefined;
    }
    const fragment = data.subarray(offset + recordHeaderBytes, offset + recordHeaderBytes + length);
    fragments.push(fragment);
    collected += fragment.length;
    offset += recordHeaderBytes + length;
    if (needed === undefined && collected >= 4) {
      const head = Buffer.concat(fragments);
      if (head[0] !== clientHelloType) return "not-tls";
      needed = 4 + head.readUIntBE(1, 3);
      if (needed > maxClientHelloBytes) return "too-large";
    }
  }
  return Buffer.concat(fragments).subarray(4, needed);
}

function readExtensions(hello: Reader): { serverName: string | undefined; applicationProtocols: string[] } {
  let serverName: string | undefined;
  const applicationProtocols: string[] = [];
  if (hello.remaining === 0) return { serverName, applicationProtocols };
  const extensions = hello.vector(2);
  while (extensions.remaining > 0) {
    const type = extensions.u16();
    const body = extensions.vector(2);
    if (type === serverNameExtension) {
      const names = body.vector(2);
      while (names.remaining > 0) {
        const nameType = names.u8();
        const name = names.vector(2);
        if (nameType === hostNameType && serverName === undefined) serverName = name.take(name.remaining).toString("latin1").toLowerCase();
      }
    } else if (type === alpnExtension) {
      const protocols = body.vector(2);
      while (protocols.remaining > 0) {
        const protocol = protocols.vector(1);
        applicationProtocols.push(protocol.take(protocol.remaining).toString("latin1"));
      }
    }
  }
  return { serverName, applicationProtocols };
}

/**
 * Inspects the bytes received so far. "incomplete" asks for more (the caller bounds how many bytes it buffers); a malformed ClientHello counts as not TLS, as
 * Envoy's tls_inspector then leaves the transport protocol unset.
 */
export function inspectClientHello(data: Buffer): ClientHelloInspection {
  const handshake = handshakeBytes(data);
  if (handshake === undefined) return { kind: "incomplete" };
  if (handshake === "not-tls" || handshake === "too-large") return { kind: handshake };
  try {
    const hello = new Reader(handshake);
    hello.take(2 + 32); // legacy_version, random
    hello.vector(1); // legacy_session_id
    hello.vector(2); // cipher_suites
    hello.vector(1); // legacy_compression_methods
    return { kind: "tls", ...readExtensions(hello) };
  } catch (error) {
    if (error instanceof Truncated) return { kind: "not-tls" };
    throw error;
  }
}
