// (a) GET /api/v1/articles/{slug} over a hot set of slugs: served from the cache once warm.
import http from 'k6/http';
import { cfg, app, expect, pick } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('article', false);

export default function () {
  const res = http.get(`${cfg.base_url}/api/v1/articles/${pick(cfg.hot_slugs)}`, params);
  expect(res, 200, 'article');
}
