import dgram from "node:dgram";
import net from "node:net";
import dnsPacket, { type Packet } from "dns-packet";

export interface DnsServerOptions {
  /** 0 picks a free port (the TCP server then takes the same one). */
  port: number;
  host?: string;
  /** The mesh zone's answers: an IPv4 address for a name under `.mesh`, or undefined. */
  resolve(name: string): string | undefined;
  /** Where other names go (the proxy passes the system resolver: systemResolver()). */
  upstream: { host: string; port: number };
}

export interface DnsServer {
  port: number;
  close(): Promise<void>;
}

const meshSuffix = ".mesh";
const forwardTimeoutMs = 3000;
const ttlSeconds = 30;
// Response codes, in the low four bits of the flags (RFC 1035 4.1.1).
const servfail = 2;
const nxdomain = 3;

function meshAnswer(query: Packet, resolve: DnsServerOptions["resolve"]): Buffer {
  const question = query.questions?.[0];
  const name = question?.name ?? "";
  const address = resolve(name.toLowerCase());
  const answers = address && question?.type === "A" ? [{ type: "A" as const, name, ttl: ttlSeconds, data: address }] : [];
  return dnsPacket.encode({
    id: query.id,
    type: "response",
    flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | (address ? 0 : nxdomain),
    questions: query.questions ?? [],
    answers,
  });
}

function failure(query: Packet): Buffer {
  return dnsPacket.encode({ id: query.id, type: "response", flags: servfail, questions: query.questions ?? [] });
}

function forward(message: Buffer, upstream: DnsServerOptions["upstream"]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(upstream.host) ? "udp6" : "udp4");
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("upstream DNS timeout"));
    }, forwardTimeoutMs);
    socket.on("message", (answer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(message, upstream.port, upstream.host);
  });
}

async function answer(message: Buffer, options: DnsServerOptions): Promise<Buffer | undefined> {
  let query: Packet;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const name = (query.questions?.[0]?.name ?? "").toLowerCase();
  if (name === meshSuffix.slice(1) || name.endsWith(meshSuffix)) return meshAnswer(query, options.resolve);
  return forward(message, options.upstream).catch(() => failure(query));
}

/** A resolver for `<service>.mesh` names over UDP and TCP; other names are relayed to the upstream resolver. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const host = options.host ?? "127.0.0.1";
  const udp = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  udp.on("message", (message, remote) => {
    void answer(message, options).then((reply) => reply && udp.send(reply, remote.port, remote.address));
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(options.port, host, () => resolve());
  });
  const port = udp.address().port;

  const connections = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // TCP DNS messages carry a two-byte length prefix (RFC 1035 4.2.2).
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        void answer(Buffer.from(message), options).then((reply) => {
          if (!reply || socket.destroyed) return;
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([length, reply]));
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", (error) => {
      udp.close();
      reject(error);
    });
    tcp.listen(port, host, () => resolve());
  });
  return {
    port,
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise((resolve) => tcp.close(resolve))]);
    },
  };
}
