/** When and how often a request is sent again. */
export interface RetryOptions {
  /** Attempts after the first; 0 turns retrying off. Default 3. */
  retries?: number;
  /** The first back-off; it doubles with each attempt (with jitter). Default 250 ms. */
  minDelayMs?: number;
  /** The longest wait, Retry-After included. Default 5 s. */
  maxDelayMs?: number;
}

type Fetch = (input: Request) => Promise<Response>;

/**
 * Wraps fetch so that a request is sent again, unchanged (same Idempotency-Key, same If-Match), after
 * a network error, a 429 or a 503. A network error leaves unknown whether the server acted, so only
 * requests that are safe to repeat are retried after one: GET and HEAD, and POSTs carrying an
 * Idempotency-Key (the server replays the first answer). A 429 or 503 means the request was not
 * carried out, so any request is retried after one, Retry-After honoured. A 409
 * idempotency_request_in_flight (the retry overtook the first attempt, still running) is retried too.
 */
export function retryingFetch(base: Fetch, opts: RetryOptions = {}): Fetch {
  const retries = opts.retries ?? 3;
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  return async (request: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await base(last ? request : request.clone());
      } catch (err) {
        if (last || request.signal.aborted || !safeToRepeat(request)) {
          throw err;
        }
        await sleep(backoff(attempt, minDelay, maxDelay), request.signal);
        continue;
      }
      if (last || !(await busy(request, response))) {
        return response;
      }
      const wait = retryAfter(response) ?? backoff(attempt, minDelay, maxDelay);
      await response.body?.cancel();
      await sleep(Math.min(wait, maxDelay), request.signal);
    }
  };
}

function safeToRepeat(request: Request): boolean {
  const m = request.method;
  return m === "GET" || m === "HEAD" || (m === "POST" && request.headers.has("Idempotency-Key"));
}

async function busy(request: Request, response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) {
    return true;
  }
  if (response.status !== 409 || !request.headers.has("Idempotency-Key")) {
    return false;
  }
  const problem = (await response.clone().json().catch(() => undefined)) as { code?: unknown } | undefined;
  return problem?.code === "idempotency_request_in_flight";
}

function backoff(attempt: number, min: number, max: number): number {
  const full = Math.min(max, min * 2 ** attempt);
  return full / 2 + Math.random() * (full / 2);
}

function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
