// The SDK against a real `inkwell serve` on SQLite.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, ProblemError, type InkwellClient, type Schemas } from "../src/index.js";
import { startServer, type Server } from "./server.js";

interface Sent {
  method: string;
  path: string;
  idempotencyKey: string | null;
  ifMatch: string | null;
  replayed?: boolean;
}

describe("inkwell client against inkwell serve", () => {
  let server: Server;
  let ink: InkwellClient;
  const sent: Sent[] = [];
  // Set by a test: the next request reaches the server, but its answer is lost on the way back.
  let loseNextAnswer: ((answer: Response) => Promise<void>) | undefined;

  before(async () => {
    server = await startServer();
    ink = createClient({
      baseUrl: server.baseUrl,
      token: server.token,
      retry: { minDelayMs: 5 },
      fetch: async (request) => {
        const entry: Sent = {
          method: request.method,
          path: new URL(request.url).pathname,
          idempotencyKey: request.headers.get("Idempotency-Key"),
          ifMatch: request.headers.get("If-Match"),
        };
        sent.push(entry);
        const answer = await fetch(request);
        entry.replayed = answer.headers.get("Idempotent-Replayed") === "true";
        const lose = loseNextAnswer;
        if (lose) {
          loseNextAnswer = undefined;
          await lose(answer);
          throw new TypeError("fetch failed: connection reset");
        }
        return answer;
      },
    });
  });

  after(async () => {
    await server?.stop();
  });

  async function createDraft(title: string): Promise<Schemas["AdminArticle"]> {
    return ink.POST("/api/v1/admin/articles", { body: { title, body_markdown: `About ${title}.` } });
  }

  test("a create whose answer is lost is retried with the same Idempotency-Key and answers the first result", async () => {
    let lost: Schemas["AdminArticle"] | undefined;
    loseNextAnswer = async (answer) => {
      lost = (await answer.json()) as Schemas["AdminArticle"];
    };
    const from = sent.length;
    const article = await createDraft("Retried create");

    const posts = sent.slice(from).filter((s) => s.method === "POST");
    assert.equal(posts.length, 2, "the SDK retried once");
    assert.ok(posts[0]!.idempotencyKey, "the first attempt carried an Idempotency-Key");
    assert.equal(posts[1]!.idempotencyKey, posts[0]!.idempotencyKey, "the retry reused the key");
    assert.deepEqual(posts.map((p) => p.replayed), [false, true], "the server replayed its first answer");
    assert.ok(lost, "the server answered the first attempt");
    assert.equal(article.id, lost.id, "the retry answered the first result");
    assert.equal(article.version, 1);

    const drafts = await ink.GET("/api/v1/admin/articles", { params: { query: { q: "Retried create" } } });
    assert.deepEqual(drafts.data.map((a) => a.id), [article.id], "one article, not two");
  });

  test("publish sends If-Match from the last ETag; a stale If-Match is a ProblemError version_conflict", async () => {
    const draft = await createDraft("Concurrency");
    assert.equal(ink.etag(`/api/v1/admin/articles/${draft.id}`), '"1"');

    const from = sent.length;
    const published = await ink.POST("/api/v1/admin/articles/{id}/{action}", {
      params: { path: { id: draft.id, action: "publish" } },
    });
    assert.equal(sent[from]!.ifMatch, '"1"');
    assert.equal(published.status, "published");
    assert.equal(published.version, 2);
    assert.equal(ink.etag(`/api/v1/admin/articles/${draft.id}`), '"2"');

    const stale = ink.PATCH("/api/v1/admin/articles/{id}", {
      params: { path: { id: draft.id } },
      body: { title: "Someone else's edit" },
      headers: { "If-Match": '"1"' },
    });
    await assert.rejects(stale, (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.equal(err.status, 412);
      assert.equal(err.code, "version_conflict");
      assert.equal(err.currentVersion, 2);
      assert.ok(err.requestId.length > 0);
      return true;
    });

    const renamed = await ink.PATCH("/api/v1/admin/articles/{id}", {
      params: { path: { id: draft.id } },
      body: { title: "Concurrency, renamed" },
    });
    assert.equal(renamed.version, 3, "without an If-Match of its own the call used the last ETag");
  });

  test("paginate follows next_cursor through every page of the public list", async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      const draft = await createDraft(`Paged ${n}`);
      await ink.POST("/api/v1/admin/articles/{id}/{action}", { params: { path: { id: draft.id, action: "publish" } } });
    }
    const publicClient = createClient({ baseUrl: server.baseUrl });

    let pages = 0;
    for await (const page of publicClient.pages("/api/v1/articles", { params: { query: { limit: 2 } } })) {
      pages++;
      assert.ok(page.data.length <= 2);
    }
    assert.ok(pages >= 3, `${pages} pages`);

    const articles: Schemas["ArticleSummary"][] = [];
    for await (const a of publicClient.paginate("/api/v1/articles", { params: { query: { limit: 2 } } })) {
      articles.push(a);
    }
    const slugs = articles.map((a) => a.slug);
    assert.equal(new Set(slugs).size, slugs.length, "no article twice");
    for (const n of [1, 2, 3, 4, 5]) {
      assert.ok(slugs.includes(`paged-${n}`), `paged-${n} in ${slugs.join(", ")}`);
    }
    assert.ok(articles.every((a) => a.title.length > 0 && a.id.length > 0));
  });

  test("limit=500 is a ProblemError 400 invalid_parameter naming limit", async () => {
    await assert.rejects(ink.GET("/api/v1/articles", { params: { query: { limit: 500 } } }), (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.equal(err.status, 400);
      assert.equal(err.code, "invalid_parameter");
      assert.deepEqual(err.errors.map((e) => e.field), ["limit"]);
      return true;
    });
  });

  test("preview reads a draft with a preview token and no API token; a bad token is a 401 problem", async () => {
    const draft = await createDraft("Previewed draft");
    const issued = await ink.POST("/api/v1/admin/articles/{id}/preview-tokens", {
      params: { path: { id: draft.id } },
      body: { expires_in: 600 },
    });
    assert.match(issued.token, /^inkp_[A-Za-z0-9_-]{43}$/);
    const spa = createClient({ baseUrl: server.baseUrl });
    const seen = await spa.preview(draft.id, issued.token);
    assert.equal(seen.preview, true);
    assert.equal(seen.title, "Previewed draft");
    assert.equal(seen.og_title, "Previewed draft");
    await assert.rejects(spa.preview(draft.id, "inkp_" + "A".repeat(43)), (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.equal(err.status, 401);
      assert.equal(err.code, "invalid_preview_token");
      return true;
    });
  });
});
