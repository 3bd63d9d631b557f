import type { ResultStore } from '../store/result-store.js';
import type { FaultRecord } from './fault.js';

/** Event types under which faults are stored with their run. */
export const FAULT_EVENT = { started: 'fault-started', ended: 'fault-ended', failed: 'fault-failed' } as const;

/**
 * Ends, in the store, the faults of `runIds` that were recorded started but never ended (the
 * engine died while they were active). For the lab there is nothing left to undo: the lab died
 * with the process. A target that outlives the engine (Kubernetes) must roll back here first.
 * Appends a `fault-ended` event (reason `reconciled`) for each and returns them.
 */
export function reconcileFaults(store: Pick<ResultStore, 'events' | 'appendEvent'>, runIds: readonly string[], at: string): FaultRecord[] {
  const out: FaultRecord[] = [];
  for (const id of runIds) {
    const open = new Map<string, FaultRecord>();
    for (const e of store.events(id)) {
      const f = e.data as FaultRecord | null;
      if (!f || typeof f !== 'object' || typeof f.id !== 'string') continue;
      if (e.type === FAULT_EVENT.started) open.set(f.id, f);
      else if (e.type === FAULT_EVENT.ended || e.type === FAULT_EVENT.failed) open.delete(f.id);
    }
    for (const f of open.values()) {
      const ended: FaultRecord = { ...f, state: 'ended', endedAt: at, endReason: 'reconciled' };
      store.appendEvent(id, { at, type: FAULT_EVENT.ended, data: ended });
      out.push(ended);
    }
  }
  return out;
}
