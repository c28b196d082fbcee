// `next start` of apps/web (run `npm run build -w @zonemesh/web` first) against a given CP, as a child process.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const webDir = fileURLToPath(new URL("../../apps/web", import.meta.url));

export async function startNext(cpUrl: string, port: number) {
  const child = spawn("npx", ["next", "start", "-p", String(port)], {
    cwd: webDir,
    env: { ...process.env, ZONEMESH_API_URL: cpUrl, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    if (waited > 60_000) throw new Error("next start did not answer within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    // npx starts next as its own child: end the whole process group.
    close: () => process.kill(-child.pid!, "SIGTERM"),
  };
}
