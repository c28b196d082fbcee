// Runs the real zmctl (through its bin launcher) as a child process, for the CLI tests.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const launcher = fileURLToPath(new URL("../bin/zmctl.mjs", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function zmctl(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [launcher, ...args], { env: { ...process.env, ...options.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? "");
  });
}
