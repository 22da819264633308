/**
 * The ETags last seen per resource, so that a change can send `If-Match` without the caller
 * threading versions through. A resource is a path ending in its id (`/api/v1/admin/articles/{id}`);
 * an answer is remembered when it is a versioned resource (a JSON object with `id` and `version`,
 * whose ETag the API derives from the version).
 */
export class ETagStore {
  private readonly tags = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  /** The ETag last seen for the resource at path, if any. */
  get(path: string): string | undefined {
    return this.tags.get(trimSlash(path));
  }

  /** The ETag to send as If-Match with a change of path: its own, or that of the resource it acts on. */
  forChange(path: string): string | undefined {
    let p = trimSlash(path);
    for (;;) {
      const tag = this.tags.get(p);
      if (tag !== undefined) {
        return tag;
      }
      const cut = p.lastIndexOf("/");
      if (cut <= 0) {
        return undefined;
      }
      p = p.slice(0, cut);
    }
  }

  /** Records the ETag of an answer to method path whose body is body. */
  remember(method: string, path: string, status: number, etag: string | null, body: unknown): void {
    if (etag === null || !isVersioned(body)) {
      return;
    }
    const key = resourcePath(method, path, status, body.id);
    if (key === undefined) {
      return;
    }
    this.tags.delete(key);
    this.tags.set(key, etag);
    if (this.tags.size > this.capacity) {
      const oldest = this.tags.keys().next().value;
      if (oldest !== undefined) {
        this.tags.delete(oldest);
      }
    }
  }

  /** Forgets the resource at path (it was deleted). */
  forget(path: string): void {
    this.tags.delete(trimSlash(path));
  }
}

/**
 * The resource an answer is about: the request path up to the id (an action such as
 * `/articles/{id}/publish` answers the article), or a new resource under the collection it was
 * created in.
 */
function resourcePath(method: string, path: string, status: number, id: string): string | undefined {
  const segments = trimSlash(path).split("/");
  const at = segments.lastIndexOf(encodeURIComponent(id));
  if (at > 0) {
    return segments.slice(0, at + 1).join("/");
  }
  if (method === "POST" && status === 201) {
    return `${trimSlash(path)}/${encodeURIComponent(id)}`;
  }
  return undefined;
}

function isVersioned(body: unknown): body is { id: string; version: number } {
  if (typeof body !== "object" || body === null) {
    return false;
  }
  const b = body as Record<string, unknown>;
  return typeof b.id === "string" && typeof b.version === "number";
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
