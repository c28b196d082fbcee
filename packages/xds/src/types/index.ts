export type * from "./core";
export type * from "./listener";
export type * from "./cluster";
export type * from "./endpoint";
export type * from "./route";
export type * from "./filters";
export type * from "./tls";
export { typeNames, typed } from "./type-names";
