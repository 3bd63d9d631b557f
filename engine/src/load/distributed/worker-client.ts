import { request } from 'undici';
import WebSocket from 'ws';
import { systemClock } from '../../core/clock.js';
import { ScaleError, type Issue } from '../../core/errors.js';
import { LoadRunner } from '../load-runner.js';
import { encodeWindow } from '../recorder.js';
import { MAX_FRAME_BYTES, parseMessage, WORKER_ENV, type CoordinatorMessage, type WorkerMessage } from './protocol.js';

/** Where a worker connects and who it is. */
export interface WorkerIdentity {
  url: string;
  run: string;
  token: string;
  index: number;
}

/** A worker's identity from its environment (an Indexed Job gives the index as JOB_COMPLETION_INDEX), or every problem. */
export function workerIdentity(env: Record<string, string | undefined>): WorkerIdentity | Issue[] {
  const issues: Issue[] = [];
  const url = env[WORKER_ENV.url] ?? '';
  if (!/^wss?:\/\//.test(url)) issues.push({ path: WORKER_ENV.url, message: 'the coordinator URL (ws://host:port/)' });
  const run = env[WORKER_ENV.run] ?? '';
  if (!run) issues.push({ path: WORKER_ENV.run, message: 'required' });
  const token = env[WORKER_ENV.token] ?? '';
  if (!token) issues.push({ path: WORKER_ENV.token, message: 'required' });
  const raw = env[WORKER_ENV.index] ?? env[WORKER_ENV.jobIndex] ?? '';
  const index = Number(raw);
  if (raw === '' || !Number.isInteger(index) || index < 0) issues.push({ path: WORKER_ENV.index, message: `a whole number >= 0 (or ${WORKER_ENV.jobIndex})` });
  return issues.length > 0 ? issues : { url, run, token, index };
}

/**
 * One load worker: connects to the coordinator, says hello, runs the LoadRunner on its share of
 * the plan and streams every window, then says done. Resolves with the runner's result; rejects
 * with a ScaleError when it is refused, gets no plan, or loses the coordinator (then it stops
 * sending at once: a worker never loads a target nobody is measuring).
 */
export function runWorker(id: WorkerIdentity, o: { connectTimeoutMs?: number } = {}): Promise<{ stoppedEarly: boolean; endedMs: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(id.url, { maxPayload: MAX_FRAME_BYTES, handshakeTimeout: o.connectTimeoutMs ?? 30_000 });
    let runner: LoadRunner | undefined;
    let settled = false;
    const finish = (err?: Error, r?: { stoppedEarly: boolean; endedMs: number }) => {
      if (settled) return;
      settled = true;
      runner?.stop();
      if (err) reject(err);
      else resolve(r!);
    };
    const send = (m: WorkerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
    // One plain request to the coordinator first (it answers 426): a fresh process compiles
    // undici's HTTP parser on its first request, which would otherwise delay its first second of load.
    ws.on('open', () => {
      void request(id.url.replace(/^ws/, 'http'), { headersTimeout: 5_000 })
        .then((r) => r.body.dump())
        .catch(() => undefined)
        .finally(() => send({ type: 'hello', run: id.run, token: id.token, index: id.index }));
    });
    ws.on('message', (data) => {
      const m = parseMessage<CoordinatorMessage>(data, ['plan', 'stop', 'refused']);
      if (!m) return;
      if (m.type === 'refused') return finish(new ScaleError('invalid_input', `the coordinator refused worker ${id.index}: ${m.message}`));
      if (m.type === 'stop') return runner?.stop();
      if (runner) return;
      try {
        runner = new LoadRunner({
          options: m.options,
          worker: m.worker,
          workers: m.workers,
          clock: systemClock,
          originMs: systemClock.now() + m.startInMs,
          onWindow: (w) => send({ type: 'window', window: encodeWindow(w) }),
        });
      } catch (err) {
        send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
        return finish(err instanceof Error ? err : new Error(String(err)));
      }
      void runner.done.then((r) => {
        send({ type: 'done', result: r });
        ws.close(1000, 'done');
        finish(undefined, r);
      });
    });
    ws.on('close', () => finish(new ScaleError('upstream_error', `worker ${id.index} lost the coordinator at ${id.url}`)));
    ws.on('error', (e) => finish(new ScaleError('target_unreachable', `worker ${id.index} cannot reach the coordinator at ${id.url}: ${e.message}`)));
  });
}
