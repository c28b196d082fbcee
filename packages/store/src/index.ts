export { openStore, type OpenedStore, type StoreOptions } from "./open-store";
export { AlreadyExistsError, ConflictError, NotFoundError } from "./errors";
export type * from "./types";
