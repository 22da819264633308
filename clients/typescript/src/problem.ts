import type { components } from "./schema.js";

/** An RFC 9457 problem document as the API answers it (see the Problem schema of the contract). */
export type Problem = components["schemas"]["Problem"];
/** One invalid field of a validation problem. */
export type FieldError = components["schemas"]["FieldError"];

/**
 * The code given to an answer that is not a problem document (e.g. an HTML error page of a proxy in
 * front of the API): the API itself always answers a problem with a stable code.
 */
export const UNEXPECTED_RESPONSE = "unexpected_response";

/** A failed request: the API's problem document, typed, with its fields at hand. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  /** The HTTP status. */
  readonly status: number;
  /** The stable machine code, e.g. `version_conflict`, `invalid_parameter`. */
  readonly code: string;
  readonly detail: string;
  /** The request id the server logged the request under (`X-Request-ID`). */
  readonly requestId: string;
  /** The invalid fields of a validation problem; empty otherwise. */
  readonly errors: FieldError[];
  /** On 412 version_conflict, the version the resource has now. */
  readonly currentVersion: number | undefined;
  /** The whole problem document. */
  readonly problem: Problem;
  /** The answer the problem came with (its body already read). */
  readonly response: Response;

  constructor(problem: Problem, response: Response) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.problem = problem;
    this.response = response;
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.requestId = problem.request_id;
    this.errors = problem.errors ?? [];
    this.currentVersion = problem.current_version;
  }

  /** Builds the error from a non-2xx answer and its parsed body (as openapi-fetch hands it over). */
  static from(body: unknown, response: Response): ProblemError {
    if (isProblem(body)) {
      return new ProblemError(body, response);
    }
    const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
    return new ProblemError(
      {
        type: "about:blank",
        title: response.statusText || `HTTP ${response.status}`,
        status: response.status,
        detail: text.slice(0, 200),
        code: UNEXPECTED_RESPONSE,
        request_id: response.headers.get("X-Request-ID") ?? "",
      },
      response,
    );
  }
}

function isProblem(v: unknown): v is Problem {
  if (typeof v !== "object" || v === null) {
    return false;
  }
  const p = v as Record<string, unknown>;
  return typeof p.code === "string" && typeof p.status === "number" && typeof p.title === "string";
}
