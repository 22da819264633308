// (f) One page of 20 far down the default order, reached through a cursor the bench walked to once.
import http from 'k6/http';
import { cfg, app, expect } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('deep_page', false);
const url = `${cfg.base_url}/api/v1/articles?limit=20&cursor=${encodeURIComponent(cfg.deep_cursor)}`;

export default function () {
  const res = http.get(url, params);
  expect(res, 200, 'deep page');
}
