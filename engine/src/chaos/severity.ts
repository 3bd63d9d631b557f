import type { Severity } from './fault.js';

/**
 * Severity presets. `severity` (default `medium`) fills in whatever a fault does not set
 * itself: its parameters (each type's `presets`, in its own file) and, when it names no pods,
 * how many pods it hits. Explicit values always win.
 *
 * | type             | low                 | medium                | high                      |
 * |------------------|---------------------|-----------------------|---------------------------|
 * | latency          | +50ms on every req. | +200ms                | +1s                       |
 * | errors           | 5% answered 500     | 20% answered 500      | 50% answered 503          |
 * | pod-failure      | restart after TTL   | restart after TTL     | restart after TTL         |
 * | partition        | refused             | refused               | blackhole, 10s connect TO |
 * | connection-reset | 1% of requests      | 5%                    | 20%                       |
 * | bandwidth        | 1 MB/s              | 100 KB/s              | 10 KB/s                   |
 * | pods hit         | 1 pod               | 20% of pods (min. 1)  | 50% of pods (min. 1)      |
 * | scale-up adds    | 1 pod               | 50% of the pods       | 100% (doubles)            |
 * | scale-down takes | 1 pod               | 20% of pods           | 50% of pods               |
 *
 * Scale-down always leaves at least one pod.
 */

/** How many pods a fault hits when it names none: a count or a percentage of the lab's pods. */
export type Radius = { count: number } | { percent: number };

/** Pods hit (or taken away) by severity, when a fault names none. */
export const BLAST_RADIUS: Record<Severity, Radius> = {
  low: { count: 1 },
  medium: { percent: 20 },
  high: { percent: 50 },
};

/** Pods added by a scale-up of each severity, when it sets no count. */
export const SCALE_UP_RADIUS: Record<Severity, Radius> = {
  low: { count: 1 },
  medium: { percent: 50 },
  high: { percent: 100 },
};

/** The default severity. */
export const DEFAULT_SEVERITY: Severity = 'medium';

/** Pods that `percent`% of `total` means: rounded, at least 1. */
export function podsForPercent(percent: number, total: number): number {
  return Math.max(1, Math.round((percent / 100) * total));
}
