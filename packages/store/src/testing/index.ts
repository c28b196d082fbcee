export { startThrowawayPostgres, type ThrowawayPostgres, type ThrowawayPostgresOptions } from "./postgres";
