import { z } from 'zod';
import { LIMITS } from '../spec/limits.js';
import { ALWAYS, dist, dur, int, num } from './params.js';
import { defineScenario } from './scenario.js';

/**
 * The seed's four traffic shapes: High Traffic, Spike, Sustained, Gradual Ramp. Each range is
 * chosen so that any combination of in-range values gives a valid TestSpec (the total of the
 * stages stays within LIMITS.maxDurationMs), which the scenario tests check at the boundaries.
 */

const MIN = 60_000;
const rate = (description: string, def: number, min = 0) => num(description, def, min, LIMITS.maxRate);

export const highTraffic = defineScenario({
  name: 'high-traffic',
  title: 'High Traffic',
  description:
    'A short ramp to a high constant arrival rate (open model), held. Tests whether the balancer keeps shares even when every pod is busy and queues form.',
  lookFor:
    'The balance score should stay at or above 0.95 throughout; p99 grows as pods saturate. A pod with a growing queue while others idle shows a policy that ignores load (compare round-robin with least-connections).',
  labOnly: false,
  params: z.strictObject({
    rate: rate('arrivals per second once ramped up', 2000, 1),
    rampUp: dur('time to ramp from 0 to the rate', '10s', 100, 10 * MIN),
    duration: dur('time held at the rate', '60s', 1000, 50 * MIN),
  }),
  build: (p) => ({
    name: 'high-traffic',
    load: { model: 'open', stages: [{ rate: p.rate, duration: p.rampUp, ramp: true }, { rate: p.rate, duration: p.duration }] },
  }),
  fromCapacity: (c) => ({ rate: 0.8 * c }),
});

export const spike = defineScenario({
  name: 'spike',
  title: 'Spike',
  description:
    'A steady base rate, a sudden step to a peak, and back (open model: arrivals do not slow down when the target does). Tests how the balancer spreads a burst and how fast the pods recover.',
  lookFor:
    'During the spike: per-pod shares and queueing (in-flight) should stay even; p99 rises, then falls back within seconds after it. Errors or one pod holding the queue mean the burst was not spread.',
  labOnly: false,
  params: z
    .strictObject({
      base: rate('arrivals per second before and after the spike', 200),
      peak: rate('arrivals per second during the spike', 1000, 1),
      before: dur('time at the base rate before the spike', '20s', 1000, 20 * MIN),
      spike: dur('length of the spike', '10s', 100, 20 * MIN),
      after: dur('time at the base rate after the spike', '20s', 100, 20 * MIN),
    })
    .superRefine((p, ctx) => {
      if (typeof p.base === 'number' && typeof p.peak === 'number' && p.peak < p.base)
        ctx.addIssue({ code: 'custom', path: ['peak'], message: `must be at least base (${p.base})` });
    }, ALWAYS),
  build: (p) => ({
    name: 'spike',
    load: {
      model: 'open',
      stages: [
        { rate: p.base, duration: p.before },
        { rate: p.peak, duration: p.spike },
        { rate: p.base, duration: p.after },
      ],
    },
  }),
  fromCapacity: (c) => ({ base: 0.3 * c, peak: 1.2 * c }),
});

/** Seconds over which a closed-model scenario starts its users, so connections open gradually. */
const SPAWN_SECONDS = 5;

export const sustained = defineScenario({
  name: 'sustained',
  title: 'Sustained',
  description:
    'A moderate, constant number of users (closed model, with think time) for a long time. Tests whether balance holds over minutes: slow drift, connection reuse, latency creep.',
  lookFor:
    'A flat balance score and flat p99 from start to end. A score that slowly falls, or one pod whose share creeps up, points to state in the balancer (EWMA, connection pinning) that drifts.',
  labOnly: false,
  params: z.strictObject({
    users: int('concurrent users', 50, 1, LIMITS.maxUsers),
    thinkTime: dist("each user's pause between requests", 'exp:100ms'),
    duration: dur('test length', '5m', 1000, 60 * MIN),
  }),
  build: (p) => ({
    name: 'sustained',
    load: {
      model: 'closed',
      users: p.users,
      spawnRate: Math.min(LIMITS.maxSpawnRate, Math.max(1, p.users / SPAWN_SECONDS)),
      duration: p.duration,
      thinkTime: p.thinkTime,
    },
  }),
  // Half the capacity with ~100 ms per request cycle (think time dominates): users = 0.5 × c × 0.1 s.
  fromCapacity: (c) => ({ users: 0.05 * c }),
});

export const gradualRamp = defineScenario({
  name: 'gradual-ramp',
  title: 'Gradual Ramp',
  description:
    'A short warm-up at a low rate, a linear ramp to a high rate, and a hold (open model). Finds the rate at which latency and balance start to degrade.',
  lookFor:
    'The knee: the rate at which p99 bends upward. A good balancer keeps the score at or above 0.95 until all pods are near capacity together; one pod saturating early means uneven spreading.',
  labOnly: false,
  params: z.strictObject({
    from: rate('arrivals per second during the warm-up and at the start of the ramp', 50),
    to: rate('arrivals per second at the end of the ramp', 1000),
    warmup: dur('time at the starting rate', '5s', 100, 10 * MIN),
    duration: dur('length of the ramp', '60s', 1000, 40 * MIN),
    hold: dur('time held at the final rate', '10s', 100, 10 * MIN),
  }),
  build: (p) => ({
    name: 'gradual-ramp',
    load: {
      model: 'open',
      stages: [
        { rate: p.from, duration: p.warmup },
        { rate: p.to, duration: p.duration, ramp: true },
        { rate: p.to, duration: p.hold },
      ],
    },
  }),
  fromCapacity: (c) => ({ from: 0.05 * c, to: c }),
});
