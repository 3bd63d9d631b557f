import { parseDuration } from '../core/duration.js';
import { LIMITS } from '../spec/limits.js';

/** Hard caps on per-request overrides from the query string, so no request can pin a pod. */
export const OVERRIDE_CAPS = {
  maxDelayMs: 10_000,
  maxResponseBytes: LIMITS.maxResponseBytes,
} as const;

/**
 * Per-request behaviour overrides from the query string, in fortio's weighted grammar
 * (fortio `fhttp/http_server.go`): `?delay=10ms:20,1s:0.5&status=503:5&size=1024`.
 * Each parameter is a comma-separated list of `value[:percent]`; a value without a percent
 * applies to 100% of requests; percents add up to at most 100 and the rest of the requests
 * keep the pod's normal behaviour. Values over OVERRIDE_CAPS are clamped, so no request can
 * pin a pod for long or make it allocate much. Other query parameters are ignored.
 */
export interface WeightedValue {
  value: number;
  /** Share of requests in percent, (0, 100]. */
  percent: number;
}

export interface Overrides {
  /** Service time in ms instead of the pod's distribution. */
  delay?: WeightedValue[];
  /** Status code instead of 200 / the pod's injected error. */
  status?: WeightedValue[];
  /** Response body size in bytes. */
  size?: WeightedValue[];
}

type Key = keyof Overrides;
const PARSERS: Record<Key, (s: string) => number | undefined> = {
  delay: (s) => clampOrUndefined(parseDuration(s), OVERRIDE_CAPS.maxDelayMs),
  status: (s) => {
    const n = /^\d{3}$/.test(s) ? Number(s) : NaN;
    return n >= 200 && n <= 599 ? n : undefined;
  },
  size: (s) => clampOrUndefined(/^\d+$/.test(s) ? Number(s) : undefined, OVERRIDE_CAPS.maxResponseBytes),
};
const HINTS: Record<Key, string> = {
  delay: 'a duration such as 10ms',
  status: 'a status code 200-599',
  size: 'a byte count',
};

/**
 * Parses the query string (without the leading `?`). Returns the overrides found (an empty
 * object when there are none) or an error message naming the bad parameter.
 */
export function parseOverrides(query: string): Overrides | string {
  const out: Overrides = {};
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!(name in PARSERS)) continue;
    const key = name as Key;
    let raw: string;
    try {
      raw = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return `${key}: not valid URL encoding`;
    }
    const list = eq < 0 ? `${key}: missing value` : parseList(key, raw);
    if (typeof list === 'string') return list;
    out[key] = list;
  }
  return out;
}

function parseList(key: Key, raw: string): WeightedValue[] | string {
  const entries = raw.split(',');
  const list: WeightedValue[] = [];
  let total = 0;
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const valueText = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const percentText = colon < 0 ? '100' : entry.slice(colon + 1).trim();
    const value = PARSERS[key](valueText);
    if (value === undefined) return `${key}: "${valueText}" is not ${HINTS[key]}`;
    const percent = /^\d+(\.\d+)?$/.test(percentText) ? Number(percentText) : NaN;
    if (!(percent > 0 && percent <= 100)) return `${key}: "${percentText}" is not a percent in (0, 100]`;
    total += percent;
    list.push({ value, percent });
  }
  if (total > 100 + 1e-9) return `${key}: percents add up to ${total}, over 100`;
  return list;
}

/**
 * Picks a value for one request: `u` is uniform in [0, 1); returns undefined when `u` falls in
 * the share no entry covers (the request keeps the pod's normal behaviour).
 */
export function pickWeighted(list: readonly WeightedValue[] | undefined, u: number): number | undefined {
  if (!list) return undefined;
  let edge = 0;
  const at = u * 100;
  for (const w of list) {
    edge += w.percent;
    if (at < edge) return w.value;
  }
  return undefined;
}

function clampOrUndefined(v: number | undefined, cap: number): number | undefined {
  return v === undefined ? undefined : Math.min(v, cap);
}
