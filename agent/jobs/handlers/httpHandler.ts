/**
 * `http`: one request; the state follows the status (`expect_status`, default
 * any 2xx or 3xx: else CRITICAL), the body (`body_match`, a regular expression:
 * else CRITICAL) and the latency (`warn_ms`, `crit_ms`). Output like
 * "HTTP 200 in 35 ms", with the latency as perfdata (check_http's `time`).
 * Redirects are not followed: a 301 is the answer, as check_http reports it.
 */
import type { CheckState } from '../protocol';
import { HTTP_SCHEMA } from './builtinSchemas';
import { timedOut, type JobHandler } from './handler';

interface HttpParams {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly expect_status?: number | number[];
  readonly body_match?: string;
  readonly warn_ms?: number;
  readonly crit_ms?: number;
}

function statusOk(status: number, expected: HttpParams['expect_status']): boolean {
  if (expected === undefined) return status >= 200 && status < 400;
  return Array.isArray(expected) ? expected.includes(status) : status === expected;
}

export const httpHandler: JobHandler = {
  name: 'http',
  schema: HTTP_SCHEMA,
  async run({ job, signal }) {
    const params = job.params as unknown as HttpParams;
    const started = performance.now();
    let response: Response;
    let body: string;
    try {
      response = await fetch(params.url, {
        method: params.method ?? 'GET',
        headers: params.headers ?? {},
        body: params.body ?? null,
        redirect: 'manual',
        signal,
      });
      body = params.body_match === undefined ? '' : await response.text();
      if (params.body_match === undefined) await response.body?.cancel();
    } catch (error: unknown) {
      if (signal.aborted) return timedOut(job);
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return { state: 2, output: `HTTP request to ${params.url} failed: ${cause ?? (error as Error).message}` };
    }
    const ms = Math.round(performance.now() - started);
    const perfData = [{ label: 'time', value: ms / 1000, uom: 's', warn: null, crit: null, min: 0, max: null }];
    const said = `HTTP ${response.status} in ${ms} ms`;
    if (!statusOk(response.status, params.expect_status)) {
      const expected = params.expect_status === undefined ? '2xx or 3xx' : [params.expect_status].flat().join(' or ');
      return { state: 2, output: `${said} (expected ${expected})`, perfData };
    }
    if (params.body_match !== undefined && !new RegExp(params.body_match).test(body))
      return { state: 2, output: `${said}: body does not match /${params.body_match}/`, perfData };
    let state: CheckState = 0;
    if (params.crit_ms !== undefined && ms > params.crit_ms) state = 2;
    else if (params.warn_ms !== undefined && ms > params.warn_ms) state = 1;
    const slow = state === 0 ? '' : ` (over ${state === 2 ? params.crit_ms : params.warn_ms} ms)`;
    return { state, output: said + slow, perfData };
  },
};
