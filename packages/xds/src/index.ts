export * from "./protos/index";
export * from "./types/index";
