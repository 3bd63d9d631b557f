import type { Random } from '../core/random.js';
import { arrivalSchedule } from '../load/arrival-schedule.js';
import type { Schedule } from '../load/schedule.js';
import type { SimArrivals } from './sim-plan.js';

// Globals read once: inside a vm context (jest) every global lookup on a hot path is slow.
const INFINITY = Number.POSITIVE_INFINITY;
const { log, floor } = Math;

/** A stream of open-model arrival times (virtual ms), non-decreasing; Infinity once exhausted. */
export interface ArrivalProcess {
  next(): number;
}

/** The process for `a`, drawing from `random`. */
export function arrivalProcess(a: SimArrivals, random: Random): ArrivalProcess {
  switch (a.process) {
    case 'constant':
      return new ScheduledArrivals(arrivalSchedule(a.stages));
    case 'bursty':
      return new BurstyArrivals(a.rate, a.onMs, a.offMs, random);
    case 'poisson':
      if (a.stages.length === 1 && !a.stages[0].ramp) return new PoissonArrivals(a.stages[0].rate, a.stages[0].durationMs, random);
      return new StagedPoissonArrivals(arrivalSchedule(a.stages), random);
  }
}

/** Exp(1) by inversion; 1 - u keeps the log finite because u is in [0, 1). */
function unitExponential(random: Random): number {
  return -log(1 - random.next());
}

/** Homogeneous Poisson process: exponential gaps with mean 1000 / rate ms. */
class PoissonArrivals implements ArrivalProcess {
  private t = 0;
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare private readonly meanGapMs: number;
  declare private readonly endMs: number;
  declare private readonly random: Random;

  constructor(rate: number, endMs: number, random: Random) {
    this.meanGapMs = rate > 0 ? 1000 / rate : Infinity;
    this.endMs = endMs;
    this.random = random;
  }

  next(): number {
    // unitExponential written out: the hot loop calls this once per request, and a call V8 did
    // not inline returns its double boxed.
    const t = this.t + this.meanGapMs * -log(1 - this.random.next());
    this.t = t;
    return t < this.endMs ? t : INFINITY;
  }
}

/**
 * Non-homogeneous Poisson process with the stages' piecewise-linear rate, by time change: if
 * E_1, E_2, … are unit exponentials, the times Λ⁻¹(E_1 + … + E_k) are a Poisson process of
 * intensity λ(t), where Λ(t) = ∫₀ᵗ λ (Çinlar, Introduction to Stochastic Processes, 1975, §4.7).
 * Λ⁻¹ is the live schedule's own inverse (`offsetOf`, defined for any real count), so the
 * stages mean exactly what they mean to the load generator.
 */
class StagedPoissonArrivals implements ArrivalProcess {
  private cumulative = 0;

  constructor(
    private readonly schedule: Schedule,
    private readonly random: Random,
  ) {}

  next(): number {
    this.cumulative += unitExponential(this.random);
    const t = this.schedule.offsetOf(this.cumulative);
    return t < this.schedule.durationMs ? t : INFINITY;
  }
}

/** The live open model's deterministic schedule: request i at the time N(t) = i. */
class ScheduledArrivals implements ArrivalProcess {
  private i = 0;

  constructor(private readonly schedule: Schedule) {}

  next(): number {
    return this.i < this.schedule.count ? this.schedule.offsetOf(this.i++) : INFINITY;
  }
}

/**
 * On/off bursts: Poisson at the peak rate `rate × (on + off) / on` during each on-period and
 * silence during each off-period, so the long-run mean is `rate`. Drawn as a Poisson process in
 * "on-time" and mapped onto the wall of alternating periods. Ends only with the run.
 */
class BurstyArrivals implements ArrivalProcess {
  private s = 0;
  declare private readonly meanGapMs: number;

  constructor(
    rate: number,
    private readonly onMs: number,
    private readonly offMs: number,
    private readonly random: Random,
  ) {
    this.meanGapMs = rate > 0 ? (1000 * onMs) / (rate * (onMs + offMs)) : Infinity;
  }

  next(): number {
    this.s += this.meanGapMs * unitExponential(this.random);
    if (this.s === INFINITY) return INFINITY;
    const cycle = floor(this.s / this.onMs);
    return cycle * (this.onMs + this.offMs) + (this.s - cycle * this.onMs);
  }
}
