// What the types promise, checked by tsc under "strict" when the tests are built (the functions
// are never called).
import { test } from "node:test";

import type { InkwellClient } from "../src/index.js";

export async function defaultListItemsAreComplete(ink: InkwellClient): Promise<string[]> {
  const list = await ink.GET("/api/v1/articles", { params: { query: { limit: 10 } } });
  const articles = list.data;
  const ids: string[] = articles.map((a) => a.id);
  const titles: string[] = articles.map((a) => a.title);
  const admin = await ink.GET("/api/v1/admin/articles");
  const versions: number[] = admin.data.map((a) => a.version);
  // @ts-expect-error the items are typed, not any
  void articles[0]?.no_such_field;
  void ids, titles, versions;
  return articles.map((a) => a.slug);
}

export async function paginatedItemsAreComplete(ink: InkwellClient): Promise<string[]> {
  const slugs: string[] = [];
  for await (const a of ink.paginate("/api/v1/articles", { params: { query: { tag: ["go"] } } })) {
    slugs.push(a.slug);
  }
  for await (const t of ink.paginate("/api/v1/admin/tags")) {
    slugs.push(t.slug);
    // @ts-expect-error the items are typed, not any
    void t.no_such_field;
  }
  return slugs;
}

export async function aSparseFieldsetIsOptional(ink: InkwellClient): Promise<void> {
  const sparse = await ink.GET("/api/v1/articles", { params: { query: { fields: "slug" } } });
  const first = sparse.data[0];
  if (first) {
    const id: string = first.id;
    // @ts-expect-error with fields= only id is certain
    const slug: string = first.slug;
    void id, slug;
  }
}

export async function writesAreTyped(ink: InkwellClient): Promise<void> {
  // @ts-expect-error title is required
  await ink.POST("/api/v1/admin/articles", { body: { slug: "no-title" } });
  const gone: undefined = await ink.DELETE("/api/v1/admin/tags/{id}", { params: { path: { id: "x" } } });
  void gone;
}

test("the types compile under strict (see the functions above)", () => {});
