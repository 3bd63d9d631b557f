/**
 * Hard limits on a TestSpec. The API and CLI enforce them through the schema; the UI narrows
 * them further (ARCHITECTURE.md §4: users 10-1000, spawn rate 1-100/s, duration 10-600 s).
 */
export const LIMITS = {
  maxUsers: 10_000,
  maxSpawnRate: 1_000,
  maxRate: 50_000,
  minDurationMs: 1_000,
  maxDurationMs: 3_600_000,
  maxStages: 100,
  maxPods: 50,
  maxConnections: 10_000,
  /** Load-generator worker threads in one process (`threads`). */
  maxThreads: 8,
  /** Load worker processes of a distributed run (`load.workers`). */
  maxLoadWorkers: 100,
  maxTimeoutMs: 120_000,
} as const;
