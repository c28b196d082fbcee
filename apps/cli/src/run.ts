import { parseArgs } from "node:util";
import { ApiError, createApiClient, formatApiError } from "./api-client";
import { type Command, UsageError } from "./command";
import { commands } from "./commands";

export interface Io {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

const globalOptions = {
  "api-url": { type: "string" },
  token: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const defaultApiUrl = "http://127.0.0.1:5681";

function usage(): string {
  return [
    "zmctl: manage a zonemesh control plane through its REST API",
    "",
    ...commands.flatMap((c) => c.usage.split("\n").map((line) => `  ${line.trim()}`)),
    "",
    `Global flags: --api-url URL (env ZMCTL_API_URL, default ${defaultApiUrl}), --token TOKEN (env ZMCTL_TOKEN)`,
    "",
  ].join("\n");
}

/** Runs one zmctl invocation; resolves to its exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const first = firstPositional(argv);
  const commandName = first === undefined ? undefined : argv[first];
  const command = commands.find((c) => c.name === commandName);
  if (!command) {
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout(usage());
      return 0;
    }
    io.stderr(`${commandName ? `unknown command "${commandName}"` : "no command given"}\n\n${usage()}`);
    return 2;
  }
  try {
    return await runCommand(command, argv.toSpliced(first!, 1), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.stderr(formatApiError(error));
      return 1;
    }
    throw error;
  }
}

/** Index of the command word: the first argument that is not a global flag or its value. */
function firstPositional(argv: string[]): number | undefined {
  const { tokens } = parseArgs({ args: argv, options: globalOptions, allowPositionals: true, strict: false, tokens: true });
  return tokens.find((t) => t.kind === "positional")?.index;
}

async function runCommand(command: Command, argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`usage: ${command.usage}\n`);
    return 0;
  }
  const apiUrl = (values["api-url"] as string | undefined) ?? io.env.ZMCTL_API_URL ?? defaultApiUrl;
  const token = (values.token as string | undefined) ?? io.env.ZMCTL_TOKEN;
  return command.run({
    client: createApiClient(apiUrl, token || undefined),
    positionals,
    values,
    stdout: io.stdout,
    stderr: io.stderr,
    readStdin: io.readStdin,
  });
}
