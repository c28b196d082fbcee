import type { Command } from "../command";
import { applyCommand } from "./apply";
import { deleteCommand } from "./delete";
import { generateCommand } from "./generate";
import { getCommand } from "./get";
import { inspectCommand } from "./inspect";

export const commands: Command[] = [applyCommand, getCommand, deleteCommand, inspectCommand, generateCommand];
