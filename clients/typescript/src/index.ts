export { createClient } from "./client.js";
export type { ClientOptions, InkwellClient, ListPath, Method, Schemas } from "./client.js";
export { ProblemError, UNEXPECTED_RESPONSE } from "./problem.js";
export type { FieldError, Problem } from "./problem.js";
export type { RetryOptions } from "./retry.js";
export type { components, operations, paths } from "./schema.js";
