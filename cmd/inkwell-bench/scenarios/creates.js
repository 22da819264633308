// (gc) Creates: an editor creates drafts, one after another; every create writes the article, its
// tags, its first revision and article.created in one transaction (the webhook subscription of (g)
// is still there, so each event is also fanned out to a delivery).
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { cfg, app, expect } from './lib.js';
import { editorHeaders, newDraft } from './drafts.js';

export { options, handleSummary } from './lib.js';

const ops = new Counter('bench_ops');

export default function () {
  const created = http.post(`${cfg.base_url}/api/v1/admin/articles`, newDraft('create'), app('create', false, editorHeaders()));
  if (expect(created, 201, 'create')) {
    ops.add(1);
  }
}
