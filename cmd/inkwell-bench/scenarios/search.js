// (e) Full-text search: q rotates through words of the seeded titles, sometimes two of them.
import http from 'k6/http';
import { cfg, app, expect, pick } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('search', false);

export default function () {
  let q = pick(cfg.words);
  if (Math.random() < 0.25) {
    q += ` ${pick(cfg.words)}`;
  }
  const res = http.get(`${cfg.base_url}/api/v1/articles?limit=20&q=${encodeURIComponent(q)}`, params);
  expect(res, 200, 'search');
}
