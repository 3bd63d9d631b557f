import type { TimelinePoint } from '../../api/types';

/** Keeps the last `max` windows of a live run, in time order, one per window end `t`. */
export function addWindows(history: TimelinePoint[], points: TimelinePoint[], max = 600): TimelinePoint[] {
  const byT = new Map(history.map((p) => [p.t, p]));
  for (const p of points) {
    byT.set(p.t, p);
  }
  const all = [...byT.values()].sort((a, b) => a.t - b.t);
  return all.length > max ? all.slice(all.length - max) : all;
}

/** Chart columns of a timeline (shared by the Live page and the run detail). */
export function timelineColumns(points: TimelinePoint[]) {
  return {
    t: points.map((p) => p.t),
    score: points.map((p) => p.score),
    utilisation: points.map((p) => p.utilisation),
    rps: points.map((p) => p.rps),
    p50: points.map((p) => p.latency.p50 * 1000),
    p99: points.map((p) => p.latency.p99 * 1000),
    errors: points.map((p) => p.errors),
  };
}
