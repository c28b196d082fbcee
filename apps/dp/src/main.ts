import { accessLogSocketPath } from "@zonemesh/resources";
import { AccessLogStreamer } from "./access-log-streamer";
import { envoyBootstrap, findEnvoy, runEnvoy } from "./cli/envoy";
import { nodeIdOf } from "./cli/proxy-document";
import { registerProxy } from "./cli/register";
import { parseRunOptions, usage, type RunOptions } from "./cli/run-options";
import { DataplaneProxy } from "./proxy";

// A proxy started beside its CP may come up first: the CP gets this long to answer.
const registrationRetryMs = 60_000;
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function run(args: string[]): Promise<number> {
  const options = parseRunOptions(args);
  const { document } = options;
  await registerProxy(options.cpApiUrl, document, { retryForMs: registrationRetryMs, log });
  log(`registered ${document.type} ${document.mesh ? `${document.mesh}/` : ""}${document.name} at ${options.cpApiUrl}`);
  const nodeId = nodeIdOf(document);
  const streamer = document.type === "Dataplane" ? await startAccessLogStreamer(accessLogSocketPath(document.name, document.mesh)) : undefined;
  try {
    return await runProxy(options, nodeId);
  } finally {
    await streamer?.close();
  }
}

/** Envoy or the built-in engine writes MeshAccessLog tcp entries to this socket; this process relays them. Not fatal. */
async function startAccessLogStreamer(path: string): Promise<AccessLogStreamer | undefined> {
  try {
    return await AccessLogStreamer.start(path, log);
  } catch (error) {
    log(`MeshAccessLog tcp backends will not be relayed: ${(error as Error).message}`);
    return undefined;
  }
}

async function runProxy(options: RunOptions, nodeId: string): Promise<number> {
  const envoy = findEnvoy();
  if (envoy) {
    log(`running ${envoy}`);
    return runEnvoy(envoy, envoyBootstrap({ nodeId, cpAddress: options.cpAddress, token: options.token, adminPort: options.adminPort }));
  }
  const proxy = new DataplaneProxy({ cpAddress: options.cpAddress, nodeId, token: options.token, dnsPort: options.dnsPort, adminPort: options.adminPort, log });
  const { adminPort, dnsPort } = await proxy.start();
  log(`built-in engine for ${options.proxyType === "ingress" ? "zone ingress" : "dataplane"} ${nodeId}: admin on 127.0.0.1:${adminPort}${dnsPort !== undefined ? `, DNS on 127.0.0.1:${dnsPort}` : ""}`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await proxy.stop();
  return 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command !== "run") {
  process.stderr.write(`${usage}\n`);
  process.exit(command === undefined || command === "help" || command === "--help" ? 0 : 2);
}
run(rest).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`zonemesh-dp: ${error.message}\n`);
    process.exit(1);
  },
);
