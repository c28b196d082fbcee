import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A stand-in for the zone CP's REST API that accepts every registration and remembers it. */
export interface RegistrationApi {
  url: string;
  registered: { request: string; body: unknown }[];
  close(): void;
}

export async function registrationApi(): Promise<RegistrationApi> {
  const registered: RegistrationApi["registered"] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      registered.push({ request: `${request.method} ${request.url}`, body: JSON.parse(body) });
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, registered, close: () => server.close() };
}

/** Writes the proxy's document and token where `--dataplane-file` and `--dataplane-token-file` read them. */
export function proxyFiles(document: string, token: string): { documentFile: string; tokenFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "dp-test-"));
  const files = { documentFile: join(dir, "proxy.yaml"), tokenFile: join(dir, "token") };
  writeFileSync(files.documentFile, document);
  writeFileSync(files.tokenFile, `${token}\n`);
  return files;
}

export interface DpProcess {
  child: ChildProcess;
  /** What it wrote to stderr so far (its log). */
  output(): string;
}

/** `zonemesh-dp <args>` as a child process, with the built-in engine: an empty PATH keeps a real envoy (if one were installed) out. */
export function spawnDp(args: string[]): DpProcess {
  let output = "";
  const child = spawn(process.execPath, [join(import.meta.dirname, "../../bin/zonemesh-dp.mjs"), ...args], { env: { ...process.env, PATH: "" }, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}
