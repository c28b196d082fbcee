import { text } from "node:stream/consumers";
import { run } from "./run";

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: (output) => process.stdout.write(output),
  stderr: (output) => process.stderr.write(output),
  readStdin: () => text(process.stdin),
});
