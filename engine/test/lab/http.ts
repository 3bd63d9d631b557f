import { Agent, request, type Dispatcher } from 'undici';

/** One response as the tests see it. */
export interface Answer {
  status: number;
  pod: string | undefined;
  body: string;
  ms: number;
}

/** GET `url`, reading the whole body; network errors reject. */
export async function get(url: string, dispatcher?: Dispatcher, opts: { reset?: boolean } = {}): Promise<Answer> {
  const t0 = performance.now();
  const res = await request(url, { dispatcher, reset: opts.reset });
  const body = await res.body.text();
  const pod = res.headers['x-scale-pod'];
  return { status: res.statusCode, pod: typeof pod === 'string' ? pod : undefined, body, ms: performance.now() - t0 };
}

/** Sends `n` GETs with at most `parallel` in flight; answers in completion order. */
export async function getMany(url: string, n: number, parallel: number, dispatcher?: Dispatcher): Promise<Answer[]> {
  const out: Answer[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) {
      next++;
      out.push(await get(url, dispatcher));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
  return out;
}

/** Answers per pod name. */
export function countByPod(answers: readonly Answer[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const a of answers) c[a.pod ?? '(none)'] = (c[a.pod ?? '(none)'] ?? 0) + 1;
  return c;
}

/** A fresh keep-alive agent per test, so no connection outlives its lab. */
export function agent(options: Agent.Options = {}): Agent {
  return new Agent({ keepAliveTimeout: 1000, ...options });
}

/** Polls `cond` every 10 ms until true or `timeoutMs` passes; returns the last value. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
