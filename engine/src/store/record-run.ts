import type { Result, RunStatus, TimelinePoint } from '../core/result.js';
import type { RunTick } from '../runs/run-events.js';
import type { TestRun } from '../runs/test-run.js';
import type { ResultStore } from './result-store.js';

/** Which store call failed, for the error callback. */
export type RecordOperation = 'begin' | 'appendSample' | 'finish';

/** Options of recordRun. */
export interface RecordRunOptions {
  /**
   * Told about every store failure (disk full, locked database, ...). The run goes on either
   * way: losing the record must never stop or break a test. Errors thrown here are swallowed.
   */
  onError?: (err: unknown, context: { op: RecordOperation; id: string }) => void;
}

/**
 * Records a run in the store as it happens: begin when it is running, one sample per tick,
 * the final Result on `done`. Subscribe before `run.start()`; a run already running is begun
 * at once. A run that fails before it runs is stored by `finish` alone. Returns a function
 * that stops recording (it is also stopped after `done`).
 */
export function recordRun(store: ResultStore, run: TestRun, options: RecordRunOptions = {}): () => void {
  const safely = (op: RecordOperation, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      try {
        options.onError?.(err, { op, id: run.id });
      } catch {
        // The reporter failing is no reason to break the run either.
      }
    }
  };
  const begin = () => safely('begin', () => store.begin({ id: run.id, spec: run.spec, startedAt: run.snapshot().startedAt }));
  const onStatus = (s: RunStatus) => {
    if (s === 'running') begin();
  };
  const onTick = (tick: RunTick) => safely('appendSample', () => store.appendSample(run.id, toPoint(tick.window)));
  const onDone = (result: Result) => {
    safely('finish', () => store.finish(result));
    detach();
  };
  const detach = () => {
    run.off('status', onStatus);
    run.off('tick', onTick);
    run.off('done', onDone);
  };
  run.on('status', onStatus);
  run.on('tick', onTick);
  run.on('done', onDone);
  if (run.status === 'running') begin();
  return detach;
}

/** A tick's window as a TimelinePoint: the nested balance is in the Result, not each second. */
function toPoint(w: RunTick['window']): TimelinePoint {
  const { balance: _balance, ...point } = w;
  return point;
}
