import type { ParseArgsConfig } from "node:util";
import type { ApiClient } from "./api-client";

export interface CommandContext {
  client: ApiClient;
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Resolves to the process exit code. */
  run(context: CommandContext): Promise<number>;
}

/** Thrown for wrong command-line usage; printed with the command's usage line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function requireString(values: CommandContext["values"], name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}
