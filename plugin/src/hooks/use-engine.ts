import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { EngineError, toEngineError } from '../api/engine-error';

export interface EngineQuery<T> {
  data?: T;
  error?: EngineError;
  /** True until the first answer (or error); later refreshes keep the last data on screen. */
  loading: boolean;
  reload: () => void;
  /** Answers received so far (a live page shows that it is updating). */
  updates: number;
}

/**
 * Calls `load` now and whenever `deps` change, and every `pollMs` when set. A refresh never
 * overlaps the previous one; answers for stale deps are dropped; nothing runs after unmount.
 * `enabled: false` pauses it (e.g. once a run has ended) and keeps the last answer.
 */
export function useEngine<T>(
  load: () => Promise<T>,
  deps: unknown[],
  opts: { pollMs?: number; enabled?: boolean } = {}
): EngineQuery<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key?: string; data?: T; error?: EngineError; updates: number }>({ updates: 0 });
  const loadRef = useRef(load);
  const reloadRef = useRef<() => void>(() => undefined);
  const enabled = opts.enabled ?? true;
  const { pollMs } = opts;

  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (!enabled) {
      return () => undefined;
    }
    let active = true;
    let busy = false;
    const tick = () => {
      if (busy) {
        return;
      }
      busy = true;
      loadRef
        .current()
        .then(
          (data) => active && setState((s) => ({ key, data, updates: (s.key === key ? s.updates : 0) + 1 })),
          (e) =>
            active &&
            setState((s) => ({
              key,
              data: s.key === key ? s.data : undefined,
              error: toEngineError(e),
              updates: s.key === key ? s.updates : 0,
            }))
        )
        .finally(() => {
          busy = false;
        });
    };
    reloadRef.current = tick;
    tick();
    const timer = pollMs ? setInterval(tick, pollMs) : undefined;
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [key, pollMs, enabled]);

  const reload = useCallback(() => reloadRef.current(), []);
  const current = state.key === key ? state : { updates: 0, data: undefined, error: undefined };
  return {
    data: current.data,
    error: current.error,
    loading: enabled && current.data === undefined && current.error === undefined,
    updates: current.updates,
    reload,
  };
}

/** A one-off engine action (start, inject, ...) with its pending flag and last error. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<EngineError>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (e) {
        if (mounted.current) {
          setError(toEngineError(e));
        }
        return undefined;
      } finally {
        if (mounted.current) {
          setPending(false);
        }
      }
    },
    [action]
  );
  return { run, pending, error, clearError: () => setError(undefined) };
}
