import type { ResolvedLoadOptions } from '../load-options.js';
import type { RunnerResult } from '../load-runner.js';
import type { EncodedWindow } from '../recorder.js';

/**
 * The protocol between a run's coordinator (the engine) and its load workers (child processes
 * locally, an Indexed Job's pods in a cluster), one JSON message per WebSocket frame. A worker
 * says hello with the run's id, its token and its index; the coordinator answers with the plan
 * (the load options, its share, and when to start); the worker streams one window per second
 * (counts and histograms encoded exactly as worker threads post them) and says done. A worker
 * whose connection closes before `done` is lost.
 */
export type WorkerMessage =
  | { type: 'hello'; run: string; token: string; index: number }
  | { type: 'window'; window: EncodedWindow }
  | { type: 'done'; result: RunnerResult }
  | { type: 'failed'; message: string };

export type CoordinatorMessage =
  | {
      type: 'plan';
      /** The whole load; the worker takes share `worker` of `workers` (load/schedule.ts shareOf). */
      options: ResolvedLoadOptions;
      worker: number;
      workers: number;
      /** Start the load this many ms after receiving the plan (all workers get it at once). */
      startInMs: number;
    }
  | { type: 'stop' }
  | { type: 'refused'; message: string };

/** Largest frame either side accepts (a window with many pods' histograms stays far below). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Environment of a worker process (local child or Job pod). */
export const WORKER_ENV = {
  /** ws:// URL of the coordinator's worker endpoint. */
  url: 'SCALE_WORKER_URL',
  run: 'SCALE_RUN_ID',
  token: 'SCALE_WORKER_TOKEN',
  /** The worker's index; an Indexed Job sets JOB_COMPLETION_INDEX instead. */
  index: 'SCALE_WORKER_INDEX',
  jobIndex: 'JOB_COMPLETION_INDEX',
} as const;

/** Parses a frame; undefined when it is not a message of the expected shape. */
export function parseMessage<T extends { type: string }>(data: unknown, types: readonly string[]): T | undefined {
  try {
    const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const m = JSON.parse(text) as { type?: unknown };
    return typeof m?.type === 'string' && types.includes(m.type) ? (m as T) : undefined;
  } catch {
    return undefined;
  }
}
