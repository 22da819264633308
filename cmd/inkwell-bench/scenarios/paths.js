// Issue 14's list scenarios (tag, author, both, unknown slugs, page mode): each iteration GETs one
// of the paths the bench chose, at random.
import http from 'k6/http';
import { cfg, app, expect, pick } from './lib.js';

export { options, handleSummary } from './lib.js';

const params = app('list_paths', false);

export default function () {
  const res = http.get(`${cfg.base_url}${pick(cfg.paths)}`, params);
  expect(res, 200, 'list');
}
