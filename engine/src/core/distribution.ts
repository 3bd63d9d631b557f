import { parseDuration } from './duration.js';
import type { Random } from './random.js';

/**
 * Service-time (or delay) distributions shared by the lab pods and the simulator.
 * Grammar: `fixed:20ms`, `exp:20ms` (mean), `lognormal:20ms,0.5` (mean, sigma of the log),
 * `uniform:10ms,30ms`. A bare duration ("20ms") means fixed.
 */
export type Distribution =
  | { kind: 'fixed'; ms: number }
  | { kind: 'exp'; meanMs: number }
  | { kind: 'lognormal'; meanMs: number; sigma: number }
  | { kind: 'uniform'; minMs: number; maxMs: number };

/** Parses the grammar above; returns an error message instead of throwing. */
export function parseDistribution(text: string): Distribution | string {
  const s = text.trim();
  const colon = s.indexOf(':');
  if (colon < 0) {
    const ms = parseDuration(s);
    return ms === undefined ? bad(s) : { kind: 'fixed', ms };
  }
  const kind = s.slice(0, colon);
  const args = s.slice(colon + 1).split(',').map((a) => a.trim());
  const d0 = parseDuration(args[0] ?? '');
  switch (kind) {
    case 'fixed':
      return args.length === 1 && d0 !== undefined ? { kind, ms: d0 } : bad(s);
    case 'exp':
      return args.length === 1 && d0 !== undefined ? { kind, meanMs: d0 } : bad(s);
    case 'lognormal': {
      const sigma = Number(args[1]);
      if (args.length !== 2 || d0 === undefined || !Number.isFinite(sigma) || sigma < 0 || sigma > 5) return bad(s);
      return { kind, meanMs: d0, sigma };
    }
    case 'uniform': {
      const d1 = parseDuration(args[1] ?? '');
      if (args.length !== 2 || d0 === undefined || d1 === undefined || d1 < d0) return bad(s);
      return { kind, minMs: d0, maxMs: d1 };
    }
    default:
      return bad(s);
  }
}

function bad(s: string): string {
  return `not a distribution: "${s}" (use fixed:20ms, exp:20ms, lognormal:20ms,0.5 or uniform:10ms,30ms)`;
}

/** Draws one value in milliseconds. */
export function sample(d: Distribution, random: Random): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'exp':
      return -d.meanMs * Math.log(1 - random.next());
    case 'uniform':
      return d.minMs + (d.maxMs - d.minMs) * random.next();
    case 'lognormal': {
      // mu chosen so that the distribution's mean (not median) is meanMs.
      const mu = Math.log(d.meanMs) - (d.sigma * d.sigma) / 2;
      return Math.exp(mu + d.sigma * standardNormal(random));
    }
  }
}

/** The distribution's mean in milliseconds. */
export function mean(d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'exp':
    case 'lognormal':
      return d.meanMs;
    case 'uniform':
      return (d.minMs + d.maxMs) / 2;
  }
}

/** Multiplies every time parameter by `factor` (a pod `factor` times slower). */
export function scale(d: Distribution, factor: number): Distribution {
  switch (d.kind) {
    case 'fixed':
      return { kind: 'fixed', ms: d.ms * factor };
    case 'exp':
      return { kind: 'exp', meanMs: d.meanMs * factor };
    case 'lognormal':
      return { ...d, meanMs: d.meanMs * factor };
    case 'uniform':
      return { kind: 'uniform', minMs: d.minMs * factor, maxMs: d.maxMs * factor };
  }
}

/** Box-Muller; one value per call (the spare is dropped to keep the generator stateless). */
function standardNormal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
