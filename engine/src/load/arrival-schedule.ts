import { exactCountBefore, type ArrivalStage, type Schedule } from './schedule.js';

/** One stage, precomputed: where it starts in time and in cumulative request count. */
interface Segment {
  startMs: number;
  durationMs: number;
  /** Rates in requests per second at the stage's start and end (kept in the caller's unit so
   *  that constant stages divide exactly: 1000·c / rate). */
  r0: number;
  r1: number;
  /** Cumulative expected requests N(t) at the stage's start and end. */
  n0: number;
  n1: number;
}

/**
 * The open-model schedule (k6's ramping-arrival-rate): the arrival rate r(t) is piecewise
 * linear, N(t) = ∫₀ᵗ r is the expected number of requests by t, and request i is sent at the
 * exact t where N(t) = i (the inverse of the integral). So 10 req/s for 1 s gives 0, 100, …,
 * 900 ms, a ramp 0→10 req/s over 2 s gives t_i = √(i/2.5) s, and stage boundaries fall on
 * whole requests exactly when N is whole there. Pure: no clock, no I/O.
 */
export function arrivalSchedule(stages: readonly ArrivalStage[]): Schedule {
  const segments = buildSegments(stages);
  const durationMs = segments.reduce((sum, s) => sum + s.durationMs, 0);
  const offsetOf = (i: number): number => arrivalOffset(segments, i, durationMs);
  const nEnd = segments.length ? segments[segments.length - 1].n1 : 0;
  const count = exactCountBefore(Math.ceil(nEnd), durationMs, { count: Math.ceil(nEnd) + 2, offsetOf });
  const schedule: Schedule = {
    count,
    durationMs,
    offsetOf,
    countBefore: (t) => exactCountBefore(Math.ceil(expectedBy(segments, t)), t, schedule),
  };
  return schedule;
}

/** Expected number of requests N(t) sent before `tMs`, as a real number. */
export function expectedArrivals(stages: readonly ArrivalStage[], tMs: number): number {
  return expectedBy(buildSegments(stages), tMs);
}

function buildSegments(stages: readonly ArrivalStage[]): Segment[] {
  const out: Segment[] = [];
  let startMs = 0;
  let n = 0;
  let prevRate = 0;
  for (const st of stages) {
    const r1 = st.rate;
    const r0 = st.ramp ? prevRate : r1;
    // Trapezoid area: exact for constant and linear rates.
    const n1 = n + (r0 === r1 ? (r1 * st.durationMs) / 1000 : ((r0 + r1) * st.durationMs) / 2000);
    out.push({ startMs, durationMs: st.durationMs, r0, r1, n0: n, n1 });
    startMs += st.durationMs;
    n = n1;
    prevRate = r1;
  }
  return out;
}

function expectedBy(segments: readonly Segment[], tMs: number): number {
  if (tMs <= 0 || segments.length === 0) return 0;
  for (const s of segments) {
    if (tMs < s.startMs + s.durationMs) {
      const tau = tMs - s.startMs;
      return s.n0 + (s.r0 * tau + ((s.r1 - s.r0) * tau * tau) / (2 * s.durationMs)) / 1000;
    }
  }
  return segments[segments.length - 1].n1;
}

/** Offset of request i; durationMs (outside the schedule) when i is past its end. */
function arrivalOffset(segments: readonly Segment[], i: number, durationMs: number): number {
  // First segment whose cumulative end is past i (n1 is non-decreasing: binary search).
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid].n1 > i) hi = mid;
    else lo = mid + 1;
  }
  if (lo === segments.length) return durationMs;
  const s = segments[lo];
  const c = i - s.n0;
  if (c <= 0) return s.startMs;
  const q = c * 1000;
  let tau: number;
  if (s.r0 === s.r1) {
    tau = q / s.r1;
  } else {
    // Solve a·τ² + b·τ = q with a = (r1 - r0) / 2D, b = r0, in the form 2q / (b + √(b² + 4aq)),
    // which has no cancellation for ramps up and stays finite when r0 = 0.
    const a = (s.r1 - s.r0) / (2 * s.durationMs);
    const disc = Math.max(0, s.r0 * s.r0 + 4 * a * q);
    tau = (2 * q) / (s.r0 + Math.sqrt(disc));
  }
  return s.startMs + Math.min(tau, s.durationMs);
}
