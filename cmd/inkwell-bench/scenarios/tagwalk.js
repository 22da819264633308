// (c) Lists filtered by one tag, rotating through the tags, each followed through next_cursor for
// up to walk_pages pages: the first pages come from the cache, deeper ones mostly do not.
import http from 'k6/http';
import { cfg, app, expect, fail } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('tag_list', true);
let tag = __VU % cfg.tags.length;
let cursor = null;
let depth = 0;

export default function () {
  let url = `${cfg.base_url}/api/v1/articles?limit=20&tag=${encodeURIComponent(cfg.tags[tag])}`;
  if (cursor) {
    url += `&cursor=${encodeURIComponent(cursor)}`;
  }
  const res = http.get(url, params);
  let next = null;
  if (expect(res, 200, 'tag list')) {
    try {
      next = res.json('meta.next_cursor');
    } catch (e) {
      fail(`tag list: body is not JSON: ${e}`);
    }
  }
  depth++;
  if (next && depth < cfg.walk_pages) {
    cursor = next;
    return;
  }
  tag = (tag + 1) % cfg.tags.length;
  cursor = null;
  depth = 0;
}
