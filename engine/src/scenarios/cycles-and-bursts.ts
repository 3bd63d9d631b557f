import { z } from 'zod';
import { durationMs } from '../core/duration.js';
import { LIMITS } from '../spec/limits.js';
import { ALWAYS, dur, int, ms, num } from './params.js';
import { defineScenario } from './scenario.js';

const MIN = 60_000;

/** Ramp stages per cycle: enough for the rate to follow a sine closely, few enough for 10 cycles. */
const STEPS_PER_CYCLE = 8;

export const diurnal = defineScenario({
  name: 'diurnal',
  title: 'Diurnal',
  description:
    'A day compressed into minutes: the arrival rate follows a sine between a night-time low and a midday high, for one or more cycles (open model, eight linear ramps per cycle). Tests balancers that adapt to load (EWMA, least-request) while the load keeps changing.',
  lookFor:
    'The score should stay high on the way up and on the way down. Latency-aware policies (peak-ewma) lag behind changes: watch p99 on the rising edge. At the low point the chi-square test may report insufficient data; that is expected.',
  labOnly: false,
  params: z
    .strictObject({
      min: num('arrivals per second at night (the trough)', 100, 0, LIMITS.maxRate),
      max: num('arrivals per second at midday (the peak)', 800, 1, LIMITS.maxRate),
      period: dur('length of one day', '60s', 10_000, 5 * MIN),
      cycles: int('days in the test', 2, 1, 10),
    })
    .superRefine((p, ctx) => {
      if (typeof p.min === 'number' && typeof p.max === 'number' && p.max < p.min)
        ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least min (${p.min})` });
    }, ALWAYS),
  build: (p) => {
    const step = durationMs(p.period) / STEPS_PER_CYCLE;
    // Starts at the trough, held for one step, because the first stage of a schedule ramps from 0.
    const stages: Array<{ rate: number; duration: string; ramp?: boolean }> = [{ rate: p.min, duration: ms(step) }];
    for (let c = 0; c < p.cycles; c++) {
      for (let k = 1; k <= STEPS_PER_CYCLE; k++) {
        const level = (1 - Math.cos((2 * Math.PI * k) / STEPS_PER_CYCLE)) / 2;
        stages.push({ rate: round2(p.min + (p.max - p.min) * level), duration: ms(step), ramp: true });
      }
    }
    return { name: 'diurnal', load: { model: 'open', stages } };
  },
  fromCapacity: (c) => ({ min: 0.1 * c, max: 0.7 * c }),
});

const round2 = (v: number) => Math.round(v * 100) / 100;

export const thunderingHerd = defineScenario({
  name: 'thundering-herd',
  title: 'Thundering Herd',
  description:
    'Every user arrives at once, each on its own new connection, and sends requests back to back (closed model, no think time). Reproduces clients reconnecting together after an outage or a deploy.',
  lookFor:
    'The first seconds: least-connections and power-of-two decide on in-flight counts that are all 0 while connections open, so the herd can pile onto a few pods; in L4 mode each connection is placed once. Look for uneven shares, queueing and timeouts early in the run, then whether the shares even out.',
  labOnly: false,
  params: z.strictObject({
    users: int('users (and connections) arriving together', 500, 1, LIMITS.maxUsers),
    duration: dur('test length', '30s', 1000, 60 * MIN),
  }),
  build: (p) => ({
    name: 'thundering-herd',
    load: { model: 'closed', users: p.users, spawnRate: LIMITS.maxSpawnRate, duration: p.duration },
    connections: { keepAlive: true, maxConnections: Math.min(p.users, LIMITS.maxConnections) },
  }),
  // A tenth of a second of the target's capacity arriving at once queues on every pod.
  fromCapacity: (c) => ({ users: 0.1 * c }),
});
