export * from "./protos/index";
export * from "./types/index";
export * from "./cache/index";
