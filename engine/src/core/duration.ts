/** Duration strings with units ("250ms", "10s", "2m", "1h", "1.5s", "1m30s") to milliseconds. */
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(us|ms|s|m|h)/y;

/** Parses a duration; returns undefined when the string is not one (callers report the error). */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s.length === 0) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = PART.lastIndex;
  }
  return total;
}

/** Like parseDuration but throws a RangeError naming the bad text. */
export function durationMs(text: string): number {
  const v = parseDuration(text);
  if (v === undefined) throw new RangeError(`not a duration: "${text}" (use e.g. 250ms, 10s, 2m)`);
  return v;
}

/** Short human form: 0.8ms, 120ms, 1.5s, 2m30s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}

/**
 * Whole milliseconds as the shortest exact duration string a spec takes: 100ms, 7500ms, 70s, 20m.
 * Unlike formatDuration nothing is rounded away but the fraction of a millisecond, so specs and
 * headers the engine writes read `40s`, not `40000ms`, and parse back to the same duration.
 */
export function formatSpecDuration(v: number): string {
  const r = Math.round(v);
  return r < 1000 || r % 1000 !== 0 ? `${r}ms` : r % 60_000 === 0 ? `${r / 60_000}m` : `${r / 1000}s`;
}
