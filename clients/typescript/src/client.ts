import createFetchClient, { type Client, type FetchResponse, type MaybeOptionalInit, type Middleware } from "openapi-fetch";
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";

import { ETagStore } from "./etags.js";
import { ProblemError } from "./problem.js";
import { retryingFetch, type RetryOptions } from "./retry.js";
import type { components, paths } from "./schema.js";

export type Schemas = components["schemas"];

/** How to reach the API. */
export interface ClientOptions {
  /** Where the API is, e.g. `https://cms.example.com` (the paths start with /api/v1). */
  baseUrl: string;
  /** An API token (`ink_…`) for the management API; the public API needs none. */
  token?: string;
  /** Retries after network errors, 429 and 503 (see retryingFetch). */
  retry?: RetryOptions;
  /** The fetch to use; globalThis.fetch by default. */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

// The typing below mirrors openapi-fetch's own (ClientMethod), with the answer unwrapped: a method
// resolves to the 2xx body and throws a ProblemError otherwise.
type InitParam<Init> = RequiredKeysOf<Init> extends never
  ? [(Init & { [key: string]: unknown })?]
  : [Init & { [key: string]: unknown }];

type Body<Op extends Record<string | number, any>, Init> = NoContent<
  NonNullable<FetchResponse<Op, Init, MediaType>["data"]>
>;
type NoContent<T> = [T] extends [never] ? undefined : T;

/** Whether T is a list answered with a sparse fieldset (`fields=`), whose items carry only what was asked. */
type IsFieldsList<T> = [Schemas["ArticleFieldsList"]] extends [T]
  ? true
  : [Schemas["AdminArticleFieldsList"]] extends [T]
    ? true
    : false;
type QueryOf<Init> = Init extends { params?: { query?: infer Q } } ? NonNullable<Q> : {};
type AsksFields<Init> = "fields" extends keyof QueryOf<Init>
  ? QueryOf<Init>["fields" & keyof QueryOf<Init>] extends undefined
    ? false
    : true
  : false;
/**
 * A list answer without `fields` is the full list (ArticleList, not ArticleFieldsList), so its items
 * have every field non-optional; with `fields` it may be either.
 */
type Answer<T, Init> = AsksFields<Init> extends true
  ? T
  : T extends unknown
    ? IsFieldsList<T> extends true
      ? never
      : T
    : never;

type Data<P extends keyof paths, M extends HttpMethod, Init> = paths[P] extends Record<M, Record<string | number, any>>
  ? Answer<Body<paths[P][M], Init>, Init>
  : never;

/** A method of the client: openapi-fetch's call shape, resolving to the body of a 2xx answer. */
export type Method<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>, Init extends MaybeOptionalInit<paths[P], M>>(
  url: P,
  ...init: InitParam<Init>
) => Promise<Data<P, M, Init>>;

type Page = { data: unknown[]; meta: { has_more: boolean; next_cursor: string | null } };
/** The GET paths that answer a cursor-paged list envelope. */
export type ListPath = {
  [P in PathsWithMethod<paths, "get">]: Data<P, "get", {}> extends Page ? P : never;
}[PathsWithMethod<paths, "get">];
type ListInit<P extends ListPath> = MaybeOptionalInit<paths[P], "get">;
type PageOf<P extends ListPath, Init> = Extract<Data<P, "get", Init>, Page>;
type ItemOf<P extends ListPath, Init> = PageOf<P, Init>["data"][number];

/** The Inkwell API client. */
export interface InkwellClient {
  GET: Method<"get">;
  POST: Method<"post">;
  PATCH: Method<"patch">;
  DELETE: Method<"delete">;
  /** Every page of a list, following `meta.next_cursor` until `meta.has_more` is false. */
  pages<P extends ListPath, Init extends ListInit<P>>(url: P, ...init: InitParam<Init>): AsyncGenerator<PageOf<P, Init>, void, undefined>;
  /** Every item of a list, page after page (see pages). */
  paginate<P extends ListPath, Init extends ListInit<P>>(url: P, ...init: InitParam<Init>): AsyncGenerator<ItemOf<P, Init>, void, undefined>;
  /** The ETag last seen for a versioned resource path, e.g. `/api/v1/admin/articles/{id}`. */
  etag(path: string): string | undefined;
  /**
   * The article a preview token opens (`inkp_…`, from POST
   * /api/v1/admin/articles/{id}/preview-tokens), as its editors work on it: its pending changes or
   * the draft, marked `preview: true`. `slugOrId` is the article's slug, the slug of its pending
   * changes or its id. The token goes in `Authorization: Preview …`, never in a URL, and the answer
   * is never cached. Throws a ProblemError (401 invalid_preview_token) for an unknown, expired or
   * revoked token, or one for another article. Needs no API token: an SPA can ship it.
   */
  preview(slugOrId: string, token: string): Promise<Schemas["Article"]>;
  /**
   * The underlying openapi-fetch client, with the same token, retries, ETags and idempotency keys,
   * answering `{data, error, response}` instead of throwing (e.g. for a conditional GET and its 304).
   */
  raw: Client<paths>;
}

/**
 * A client for the Inkwell API. Its methods take openapi-fetch's arguments (`{params: {path, query},
 * body, headers}`), resolve to the body of a 2xx answer and throw a ProblemError otherwise. On top:
 * - PATCH, DELETE and POST actions on a resource (`/articles/{id}/publish`) send `If-Match` with the
 *   ETag last seen for that resource (from a GET, POST or PATCH answer), unless the call sets one;
 * - every POST carries an `Idempotency-Key`, made once per call (unless the call sets one) and sent
 *   again unchanged when the request is retried after a network error, a 429 or a 503, so a retried
 *   create answers the first result instead of creating twice.
 */
export function createClient(opts: ClientOptions): InkwellClient {
  const etags = new ETagStore();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) {
    headers.Authorization = `Bearer ${opts.token}`;
  }
  const raw = createFetchClient<paths>({
    baseUrl: opts.baseUrl,
    headers,
    fetch: retryingFetch(opts.fetch ?? ((r) => globalThis.fetch(r)), opts.retry),
  });
  raw.use(preconditions(etags));

  const call = (method: "GET" | "POST" | "PATCH" | "DELETE") =>
    async (url: string, init?: Record<string, unknown>): Promise<unknown> => {
      const { data, error, response } = await (raw[method] as (u: string, i?: unknown) => Promise<FetchResponse<any, any, MediaType>>)(url, init);
      if (!response.ok) {
        throw ProblemError.from(error, response);
      }
      return data;
    };
  const GET = call("GET");

  async function* pages(url: string, init?: { params?: { query?: Record<string, unknown> } }) {
    let query = { ...init?.params?.query };
    for (;;) {
      const page = (await GET(url, { ...init, params: { ...init?.params, query } })) as Page;
      yield page;
      if (!page.meta.has_more || page.meta.next_cursor === null) {
        return;
      }
      query = { ...query, cursor: page.meta.next_cursor };
    }
  }
  async function* paginate(url: string, init?: { params?: { query?: Record<string, unknown> } }) {
    for await (const page of pages(url, init)) {
      yield* page.data;
    }
  }

  return {
    GET: GET as Method<"get">,
    POST: call("POST") as Method<"post">,
    PATCH: call("PATCH") as Method<"patch">,
    DELETE: call("DELETE") as Method<"delete">,
    pages: pages as InkwellClient["pages"],
    paginate: paginate as InkwellClient["paginate"],
    etag: (path) => etags.get(path),
    preview: (slugOrId, token) =>
      GET("/api/v1/articles/{slug}", {
        params: { path: { slug: slugOrId } },
        headers: { Authorization: `Preview ${token}` },
        cache: "no-store",
      }) as Promise<Schemas["Article"]>,
    raw,
  };
}

/** Adds If-Match and Idempotency-Key to requests, and remembers the ETags of answers. */
function preconditions(etags: ETagStore): Middleware {
  return {
    onRequest({ request }) {
      const path = new URL(request.url).pathname;
      const m = request.method;
      if ((m === "PATCH" || m === "DELETE" || m === "POST") && !request.headers.has("If-Match")) {
        const tag = etags.forChange(path);
        if (tag !== undefined) {
          request.headers.set("If-Match", tag);
        }
      }
      if (m === "POST" && !request.headers.has("Idempotency-Key")) {
        request.headers.set("Idempotency-Key", crypto.randomUUID());
      }
      return request;
    },
    async onResponse({ request, response }) {
      const path = new URL(request.url).pathname;
      if (request.method === "DELETE" && response.ok) {
        etags.forget(path);
        return undefined;
      }
      const etag = response.headers.get("ETag");
      if (!response.ok || etag === null || !isJSON(response)) {
        return undefined;
      }
      etags.remember(request.method, path, response.status, etag, await response.clone().json());
      return undefined;
    },
  };
}

function isJSON(response: Response): boolean {
  return (response.headers.get("Content-Type") ?? "").startsWith("application/json");
}
