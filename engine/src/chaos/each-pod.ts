import { ScaleError } from '../core/errors.js';

/**
 * Awaits a rollback step, ignoring what a rollback must survive: a pod that is gone
 * (`not_found`), a lab that closed (`conflict`), a pod already back (`invalid_input`). Anything
 * else still rejects, so the manager can record that the rollback went wrong.
 */
export async function quietly(step: Promise<unknown>): Promise<void> {
  try {
    await step;
  } catch (err) {
    if (err instanceof ScaleError && (err.code === 'not_found' || err.code === 'conflict' || err.code === 'invalid_input')) return;
    throw err;
  }
}

/**
 * Runs `step` on every pod at once. If any fails, the pods that succeeded are undone and the
 * first error is rethrown, so a fault is applied to all its pods or to none.
 */
export async function applyToEach(
  pods: string[],
  step: (pod: string) => Promise<unknown>,
  undo: (pod: string) => Promise<unknown>,
): Promise<string[]> {
  const settled = await Promise.allSettled(pods.map(step));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await undoEach(pods.filter((_, i) => settled[i].status === 'fulfilled'), undo);
    throw failed.reason;
  }
  return pods;
}

/** Undoes on every pod at once, quietly (see `quietly`). */
export async function undoEach(pods: string[], undo: (pod: string) => Promise<unknown>): Promise<void> {
  await Promise.all(pods.map((p) => quietly(undo(p))));
}
