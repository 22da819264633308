// (g) Writes: an editor creates a draft and publishes it (If-Match with the ETag of the create),
// with a webhook endpoint subscribed, so every publish also writes outbox events and deliveries.
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { cfg, app, expect, fail, pick } from './lib.js';

export { options, handleSummary } from './lib.js';

const ops = new Counter('bench_ops');
const body = `## Benchmark article\n\n${'Written by the benchmark to measure the write path. '.repeat(40)}\n`;

function headers(extra) {
  return Object.assign({ Authorization: `Bearer ${cfg.editor_token}`, 'Content-Type': 'application/json' }, extra);
}

export default function () {
  const title = `Bench write ${cfg.run_id} ${__VU}-${__ITER}`;
  const draft = JSON.stringify({
    title: title,
    excerpt: 'An article written by the benchmark.',
    body_markdown: body,
    tags: [pick(cfg.tags), pick(cfg.tags)].filter((t, i, all) => all.indexOf(t) === i),
  });
  const created = http.post(`${cfg.base_url}/api/v1/admin/articles`, draft, app('create', true, headers()));
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
    app('publish', false, headers({ 'If-Match': created.headers['Etag'] })));
  if (expect(published, 200, 'publish')) {
    ops.add(1);
  }
}
