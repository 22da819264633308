// Shared by every scenario: the run's configuration (written by inkwell-bench), the tags that mark
// requests to the application under test, the error counter and the summary hand-off.
import { Counter } from 'k6/metrics';

export const cfg = JSON.parse(open(__ENV.BENCH_CONFIG));

export const errors = new Counter('bench_errors');

// The thresholds never fail: they make k6 put the submetrics of target:app in the summary, so
// helper requests (the mixed scenario's acknowledgement board) stay out of the figures.
export const options = {
  thresholds: {
    'http_reqs{target:app}': ['count>=0'],
    'http_req_duration{target:app}': ['max>=0'],
    'http_req_failed{target:app}': ['rate>=0'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

// app returns the request parameters of a request to the application: a fixed name (so cursor and
// query URLs do not each make a time series) and, when the body is not read, no body buffering (the
// load generator shares the machine's CPU with the server).
export function app(name, readBody, headers) {
  const params = { tags: { target: 'app', name: name } };
  if (!readBody) {
    params.responseType = 'none';
  }
  if (headers) {
    params.headers = headers;
  }
  return params;
}

let reported = 0;

// expect counts a response with another status as an error and logs the first few of each VU.
export function expect(res, status, what) {
  if (res.status === status) {
    return true;
  }
  fail(`${what}: status ${res.status}, want ${status}: ${res.error || ''} ${String(res.body || '').slice(0, 300)}`);
  return false;
}

// fail counts an error and logs the first few of each VU.
export function fail(message) {
  errors.add(1);
  if (reported < 3) {
    reported++;
    console.error(`VU ${__VU}: ${message}`);
  }
}

export function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

export function handleSummary(data) {
  return { [__ENV.BENCH_SUMMARY]: JSON.stringify(data) };
}
