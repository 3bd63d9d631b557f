import { z } from 'zod';
import { POLICY_NAMES } from '../policies/policy.js';
import { capacityIssues } from '../spec/capacity.js';
import {
  distributionString,
  durationString,
  ExpectSpec,
  PodBehaviourSpec,
  PolicyOptionsSpec,
  StageSpec,
  ThresholdsSpec,
} from '../spec/test-spec.js';
import { connectionIssues, policyFitIssues } from '../spec/conflicts.js';
import { POD_DEFAULTS } from '../spec/defaults.js';
import { warmupSpec } from '../spec/fields.js';
import { labPodNames } from '../spec/pod-names.js';

/**
 * The simulation spec: the body of `POST /api/simulate` and what `scale simulate` flags build.
 * Shaped like the TestSpec where the two overlap (policy, policyOptions, mode, podBehaviour,
 * weights, expect, thresholds, connections, stages), plus what only a simulation can do: many
 * pods and balancers, Poisson or bursty arrivals, heterogeneous speeds, failures and scaling at
 * given times, pod warm-up. Every field has its default here; unknown fields are errors; every
 * invalid field is reported at once (cross-field checks run even when a field failed).
 */

/** Hard limits of the schema (the API adds its own caps: sim-limits.ts). */
export const SIM_LIMITS = {
  maxPods: 10_000,
  maxBalancers: 64,
  maxRequests: 1_000_000_000,
  maxDurationMs: 30 * 24 * 3_600_000,
  maxRate: 1e9,
  maxEvents: 1_000,
} as const;

const ALWAYS = { when: () => true };
const podName = z.string().regex(/^pod-[1-9][0-9]*$/, 'pods are named pod-1, pod-2, …');

/** A TestSpec podBehaviour entry (latency = service time) plus a relative speed. */
export const SimPodBehaviourSpec = PodBehaviourSpec.extend({
  pods: z.array(podName).min(1).optional(),
  /** Any service time: the simulator has no lab pod's 60 s bound. */
  latency: distributionString.optional(),
  /** Relative speed: service times are divided by it (0.2 = five times slower). */
  speed: z.number().positive().max(1000).optional(),
});

/** Open model: arrivals at a rate, a load (fraction of capacity) or stages; poisson, constant or bursty. */
export const SimOpenLoadSpec = z.strictObject({
  model: z.literal('open'),
  /** poisson (exponential gaps), constant (the live generator's schedule), bursty (on/off). */
  arrival: z.enum(['poisson', 'constant', 'bursty']).default('poisson'),
  /** Mean arrivals per second. One of rate, load or stages. */
  rate: z.number().positive().max(SIM_LIMITS.maxRate).optional(),
  /** Offered load as a fraction of the initial pods' total capacity (Σ concurrency × speed / mean service time). */
  load: z.number().positive().max(100).optional(),
  /** Stages with rates and durations, as in a TestSpec (not with bursty). */
  stages: z.array(StageSpec).min(1).max(1000).optional(),
  /** Bursty: length of the on- and off-periods. */
  burst: z.strictObject({ on: durationString(1, 3_600_000), off: durationString(0, 3_600_000) }).optional(),
});

/** Closed model: users, each sending its next request after the answer (and its think time). */
export const SimClosedLoadSpec = z.strictObject({
  model: z.literal('closed'),
  users: z.int().min(1).max(1_000_000).default(10),
  spawnRate: z.number().positive().max(1e6).default(1e6),
  thinkTime: distributionString.optional(),
});

/** Client connections (always used in L4; in L7 they cap the requests in flight). */
export const SimConnectionsSpec = z.strictObject({
  keepAlive: z.boolean().default(true),
  /** At most this many client connections; 0 = as many as needed. */
  maxConnections: z.int().min(0).max(1_000_000).default(0),
  requestsPerConnection: z.int().min(0).max(1_000_000_000).default(0),
});

/** A pod failure, a recovery, or scaling to a pod count, at a virtual time. */
export const SimEventSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(['fail', 'recover']), at: durationString(0, SIM_LIMITS.maxDurationMs), pods: z.array(podName).min(1) }),
  z.strictObject({ type: z.literal('scale'), at: durationString(0, SIM_LIMITS.maxDurationMs), to: z.int().min(0).max(SIM_LIMITS.maxPods) }),
]);

/**
 * The workload of a comparison: a simulation spec whose policy fields each candidate replaces,
 * so they are not checked against each other here (SimSpecSchema does).
 */
export const SimWorkloadSchema = z
  .strictObject({
    name: z.string().min(1).max(100).default('simulation'),
    seed: z.int().min(0).max(2 ** 31 - 1).default(1),
    policy: z.enum(POLICY_NAMES).default('round-robin'),
    policyOptions: PolicyOptionsSpec.optional(),
    mode: z.enum(['l7', 'l4']).default('l7'),
    /** Independent balancer instances, each with its own policy state. */
    balancers: z.int().min(1).max(SIM_LIMITS.maxBalancers).default(1),
    /** How requests (or connections) are spread over the balancers. */
    spread: z.enum(['round-robin', 'random']).default('round-robin'),
    pods: z.int().min(1).max(SIM_LIMITS.maxPods).default(POD_DEFAULTS.pods),
    podConcurrency: z.int().min(1).max(10_000).default(POD_DEFAULTS.concurrency),
    serviceTime: distributionString.default(POD_DEFAULTS.serviceTime),
    podBehaviour: z.array(SimPodBehaviourSpec).max(100).optional(),
    weights: z.array(z.number().min(0).max(1000)).optional(),
    expect: ExpectSpec.optional(),
    load: z.discriminatedUnion('model', [SimOpenLoadSpec, SimClosedLoadSpec]).prefault({ model: 'open', load: 0.8 }),
    /** Stop after this many requests (default 100,000 when no duration is given). */
    requests: z.int().min(1).max(SIM_LIMITS.maxRequests).optional(),
    /** Stop starting requests after this virtual time (open stages carry their own). */
    duration: durationString(1, SIM_LIMITS.maxDurationMs).optional(),
    /** Client connections; absent: none in L7, as many as needed (kept alive) in L4. */
    connections: SimConnectionsSpec.optional(),
    events: z.array(SimEventSpec).max(SIM_LIMITS.maxEvents).optional(),
    /**
     * Pod warm-up: cold pods (scaled up, recovered) start `factor` times slower, recovering
     * linearly over `duration` (JIT, caches). Not the balancer's slow start (policyOptions.slowStart).
     */
    warmup: warmupSpec.optional(),
    /** A request older than this when served or answered counts as a timeout; none by default. */
    timeout: durationString(1, SIM_LIMITS.maxDurationMs).optional(),
    /** Open model: arrivals beyond this many requests in flight are dropped. */
    maxInflight: z.int().min(1).max(10_000_000).default(1_000_000),
    /** Timeline window (a live run's is 1 s). */
    window: durationString(1, 3_600_000).default('1s'),
    /** consistent-hash: distinct client keys in the open model. */
    hashKeys: z.int().min(1).max(1_000_000).default(1000),
    thresholds: ThresholdsSpec.prefault({}),
  })
  .superRefine(crossCheck, ALWAYS);

/** The simulation spec; every field's default is here. Options and weights must fit the policy. */
export const SimSpecSchema = SimWorkloadSchema.superRefine((s, ctx) => {
  for (const i of policyFitIssues(s.policy, s.policyOptions, s.weights)) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: i.message });
}, ALWAYS);

/** A simulation spec as written (defaults optional). */
export type SimSpecInput = z.input<typeof SimSpecSchema>;
/** A validated simulation spec with its defaults. */
export type SimSpec = z.output<typeof SimSpecSchema>;

/** Checks between fields; values may be of the wrong type here (fields that failed). */
function crossCheck(s: Partial<SimSpec>, ctx: z.RefinementCtx): void {
  const pods = Number.isInteger(s.pods) ? (s.pods as number) : undefined;
  const scaleTo = Array.isArray(s.events) ? s.events.reduce((m, e) => (e?.type === 'scale' && Number.isInteger(e.to) ? Math.max(m, e.to) : m), 0) : 0;
  const most = pods === undefined ? undefined : Math.max(pods, scaleTo);
  const known = (p: unknown) => {
    const m = typeof p === 'string' ? /^pod-(\d+)$/.exec(p) : null;
    return most === undefined || !m || Number(m[1]) <= most;
  };
  s.podBehaviour?.forEach((b, i) => b?.pods?.forEach((p, j) => {
    if (!known(p)) ctx.addIssue({ code: 'custom', path: ['podBehaviour', i, 'pods', j], message: `no pod "${p}" (pods are pod-1..pod-${most})` });
  }));
  s.events?.forEach((e, i) => {
    if (e?.type !== 'scale') e?.pods?.forEach((p, j) => {
      if (!known(p)) ctx.addIssue({ code: 'custom', path: ['events', i, 'pods', j], message: `no pod "${p}" (pods are pod-1..pod-${most})` });
    });
  });
  if (Array.isArray(s.weights) && most !== undefined && s.weights.length !== most)
    ctx.addIssue({ code: 'custom', path: ['weights'], message: `has ${s.weights.length} entries for ${most} pods` });
  // A pod count out of range has its own issue; its names are not built (a huge count would be a huge list).
  const names = most === undefined || most > SIM_LIMITS.maxPods ? undefined : labPodNames(most);
  if (names) for (const message of capacityIssues(s.expect?.capacity, names, '')) ctx.addIssue({ code: 'custom', path: ['expect', 'capacity'], message });
  for (const i of connectionIssues(s.connections)) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: i.message });
  const l = s.load;
  if (l?.model === 'open') {
    const given = ['rate', 'load', 'stages'].filter((k) => (l as Record<string, unknown>)[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({ code: 'custom', path: ['load'], message: `give exactly one of rate, load or stages (got ${given.length === 0 ? 'none' : given.join(', ')})` });
    if (l.stages !== undefined && l.arrival === 'bursty') ctx.addIssue({ code: 'custom', path: ['load', 'stages'], message: 'bursty arrivals take a rate or a load, not stages' });
    if (l.burst !== undefined && l.arrival !== 'bursty') ctx.addIssue({ code: 'custom', path: ['load', 'burst'], message: 'only with arrival "bursty"' });
    if (l.stages !== undefined && s.duration !== undefined) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'open stages carry their own durations' });
  }
}
