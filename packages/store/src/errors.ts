import type { ResourceKey } from "./types";

const describe = (k: ResourceKey) => `${k.type} "${k.name}"${k.mesh ? ` in mesh "${k.mesh}"` : ""}`;

export class NotFoundError extends Error {
  constructor(readonly key: ResourceKey) {
    super(`${describe(key)} not found`);
    this.name = "NotFoundError";
  }
}

export class AlreadyExistsError extends Error {
  constructor(readonly key: ResourceKey) {
    super(`${describe(key)} already exists`);
    this.name = "AlreadyExistsError";
  }
}

export class ConflictError extends Error {
  constructor(
    readonly key: ResourceKey,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`${describe(key)} was modified: you sent version ${expectedVersion}, the store has ${actualVersion}`);
    this.name = "ConflictError";
  }
}
