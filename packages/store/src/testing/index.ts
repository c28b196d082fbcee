export { startThrowawayPostgres, type ThrowawayPostgres } from "./postgres";
