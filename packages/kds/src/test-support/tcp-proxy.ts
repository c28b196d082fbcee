import { createServer, connect, type AddressInfo, type Socket } from "node:net";

/** A TCP relay on 127.0.0.1 that a test can cut, to play a network failure between zone and global. */
export async function startTcpProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let blocked = false;
  const server = createServer((downstream) => {
    if (blocked) {
      downstream.destroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    for (const [socket, other] of [[downstream, upstream], [upstream, downstream]] as const) {
      sockets.add(socket);
      socket.pipe(other);
      socket.on("error", () => other.destroy());
      socket.on("close", () => {
        sockets.delete(socket);
        other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Drops every open connection and refuses new ones until `restore()`. */
    cut() {
      blocked = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      blocked = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
