// A long-running child process of the demo (a proxy, the GUI): its output appended to a log file, its recent output
// for error messages, and a stop that waits for the exit. Children stay in the demo's process group, so a Ctrl-C or
// a group kill reaches them too.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface DemoChild {
  label: string;
  pid: number;
  /** The last lines it printed (stdout and stderr). */
  recentOutput(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const KEPT_LINES = 40;

export function startChild(label: string, command: string, args: string[], options: { logFile: string; cwd?: string; env?: NodeJS.ProcessEnv }): DemoChild {
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const logFile = createWriteStream(options.logFile, { flags: "a" });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    logFile.write(chunk);
    const text = chunk.toString();
    lines.push(...text.split("\n").filter((line) => line !== ""));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("close", () => logFile.end());
  let done = false;
  void exited.then(() => (done = true));
  return {
    label,
    pid: child.pid!,
    recentOutput: () => lines.join("\n"),
    exited,
    stop: async (graceMs = 10_000) => {
      if (done) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
