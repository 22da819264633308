// (h) 95 % reads, 5 % writes. VU n owns article n of cfg.mixed.articles and is its only writer: a
// write patches the title to "… v<version>" and, once acknowledged, posts the version to the
// bench's acknowledgement board. A read asks the board for an article's last acknowledged version
// first, then reads the article from the public API: a title with an older version is a stale read.
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { cfg, app, expect, fail } from './lib.js';

export { options, handleSummary } from './lib.js';

const ops = new Counter('bench_ops');
const stale = new Counter('stale_reads');
const articles = cfg.mixed.articles;
// __VU is 0 while k6 reads the options, before any VU exists.
const mine = articles[Math.max(__VU - 1, 0) % articles.length];
const owner = __VU <= articles.length;
let version = mine.version;
const readParams = app('mixed_read', true);
const boardParams = { tags: { target: 'board', name: 'board' } };
const writeHeaders = { Authorization: `Bearer ${cfg.editor_token}`, 'Content-Type': 'application/json' };

function versionOf(title) {
  const m = / v(\d+)$/.exec(title || '');
  return m ? Number(m[1]) : -1;
}

function write() {
  const next = version + 1;
  const res = http.patch(`${cfg.base_url}/api/v1/admin/articles/${mine.id}`,
    JSON.stringify({ title: `${mine.title} v${next}` }),
    app('mixed_write', false, Object.assign({ 'If-Match': `"${version}"` }, writeHeaders)));
  if (!expect(res, 200, 'patch')) {
    return;
  }
  // The title carries the version the write expected to make; If-Match needs the one it made.
  version = Number(String(res.headers['Etag']).replace(/"/g, '')) || next;
  ops.add(1);
  http.post(`${cfg.mixed.board_url}?i=${mine.index}&v=${next}`, null, boardParams);
}

function read() {
  const a = articles[Math.floor(Math.random() * articles.length)];
  const acked = Number(http.get(`${cfg.mixed.board_url}?i=${a.index}`, boardParams).body);
  const res = http.get(`${cfg.base_url}/api/v1/articles/${a.slug}`, readParams);
  if (!expect(res, 200, 'read')) {
    return;
  }
  let seen;
  try {
    seen = versionOf(res.json('title'));
  } catch (e) {
    fail(`read: body is not JSON: ${e}`);
    return;
  }
  if (seen < acked) {
    stale.add(1);
    console.error(`stale read of ${a.slug}: saw v${seen} after v${acked} was acknowledged`);
  }
}

export default function () {
  if (owner && Math.random() < 0.05) {
    write();
  } else {
    read();
  }
}
