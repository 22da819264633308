// (b) GET /api/v1/articles?limit=20, the first page; (d) runs the same request with the cache off.
import http from 'k6/http';
import { cfg, app, expect } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('list', false);

export default function () {
  const res = http.get(`${cfg.base_url}/api/v1/articles?limit=20`, params);
  expect(res, 200, 'list');
}
