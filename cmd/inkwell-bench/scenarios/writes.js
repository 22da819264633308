// (g) Writes: an editor creates a draft and publishes it (If-Match with the ETag of the create),
// with a webhook endpoint subscribed, so every publish also writes outbox events and deliveries.
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { cfg, app, expect, fail } from './lib.js';
import { editorHeaders, newDraft } from './drafts.js';

export { options, handleSummary } from './lib.js';

const ops = new Counter('bench_ops');

export default function () {
  const created = http.post(`${cfg.base_url}/api/v1/admin/articles`, newDraft('write'), app('create', true, editorHeaders()));
  if (!expect(created, 201, 'create')) {
    return;
  }
  let id;
  try {
    id = created.json('id');
  } catch (e) {
    fail(`create: body is not JSON: ${e}`);
    return;
  }
  const published = http.post(`${cfg.base_url}/api/v1/admin/articles/${id}/publish`, null,
    app('publish', false, editorHeaders({ 'If-Match': created.headers['Etag'] })));
  if (expect(published, 200, 'publish')) {
    ops.add(1);
  }
}
