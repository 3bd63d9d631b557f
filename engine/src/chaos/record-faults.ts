import { ScaleError } from '../core/errors.js';
import type { ResultStore, RunEventRecord } from '../store/result-store.js';
import type { FaultEvent } from './fault.js';
import { FAULT_EVENT } from './reconcile.js';

/** The events of a run that recordFaults uses (a TestRun is one). */
export interface FaultSource {
  readonly id: string;
  on(event: 'fault', listener: (e: FaultEvent) => void): unknown;
  on(event: 'status' | 'done', listener: () => void): unknown;
  off(event: 'fault', listener: (e: FaultEvent) => void): unknown;
  off(event: 'status' | 'done', listener: () => void): unknown;
}

/**
 * Stores a run's fault events with the run (`fault-started`, `fault-ended`, `fault-failed`,
 * the FaultRecord as data): what reconciliation reads after a crash. Faults that start at 0 are
 * applied before the run is recorded as running, so events wait until the store knows the run
 * (retried on each status change, event and at the end). Store failures go to `onError`; they
 * never break the run. Returns a function that stops recording.
 */
export function recordFaults(
  store: Pick<ResultStore, 'appendEvent'>,
  run: FaultSource,
  options: { onError?: (err: unknown) => void } = {},
): () => void {
  const queue: RunEventRecord[] = [];
  const flush = (): void => {
    while (queue.length > 0) {
      try {
        store.appendEvent(run.id, queue[0]);
      } catch (err) {
        if (err instanceof ScaleError && err.code === 'not_found') return; // not recorded yet: keep
        try {
          options.onError?.(err);
        } catch {
          // a failing reporter is no reason to break the run
        }
      }
      queue.shift();
    }
  };
  const onFault = (e: FaultEvent): void => {
    const at = e.kind === 'started' ? e.fault.startedAt : (e.fault.endedAt ?? e.fault.startedAt);
    queue.push({ at, type: FAULT_EVENT[e.kind], data: e.fault });
    flush();
  };
  // The run's own record is written by another subscriber of `done`: flush after it.
  const onDone = (): void => {
    setImmediate(() => {
      flush();
      detach();
    });
  };
  const detach = (): void => {
    run.off('fault', onFault);
    run.off('status', flush);
    run.off('done', onDone);
  };
  run.on('fault', onFault);
  run.on('status', flush);
  run.on('done', onDone);
  return detach;
}
