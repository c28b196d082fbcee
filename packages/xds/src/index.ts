export * from "./protos/index";
export * from "./types/index";
export * from "./cache/index";
export * from "./server/index";
