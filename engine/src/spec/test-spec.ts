import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { FaultSpecSchema, MAX_SPEC_FAULTS, specFaultIssues } from '../chaos/fault-spec.js';
import { POLICY_NAMES, SLOW_START_WITH_HASH } from '../policies/policy.js';
import { CapacitySpec, capacityIssues } from './capacity.js';
import { connectionIssues, policyFitIssues } from './conflicts.js';
import { ALWAYS, distributionString, durationString, labDistributionString, NO_CONTROL, podName, warmupSpec } from './fields.js';
import { POD_DEFAULTS } from './defaults.js';
import { KubernetesTargetSpec } from './kubernetes-target-spec.js';
import { LIMITS } from './limits.js';
import { labPodNames } from './pod-names.js';

/**
 * The TestSpec of ARCHITECTURE.md §4: one shape for the API body, `scale run --spec`, and
 * stored results. Every field has a default here (the one place defaults live), unknown fields
 * are errors, and every invalid field is reported at once. Strings with units stay strings in
 * the spec (so a stored spec reads like the one the user wrote); runs/plan.ts resolves them.
 */

export { distributionString, durationString } from './fields.js';

export const PodBehaviourSpec = z.strictObject({
  /** Pods this entry applies to; all pods when omitted. Later entries override earlier ones. */
  pods: z.array(podName).min(1).optional(),
  /** Service time, a distribution (exp:20ms); every time at most LIMITS.maxServiceMs. */
  latency: labDistributionString.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorStatus: z.int().min(400).max(599).optional(),
  concurrency: z.int().min(1).max(LIMITS.maxPodConcurrency).optional(),
  responseBytes: z.int().min(0).max(LIMITS.maxResponseBytes).optional(),
});

export const PolicyOptionsSpec = z.strictObject({
  choices: z.int().min(1).max(16).optional(),
  decay: durationString(1, 600_000).optional(),
  hashAlgorithm: z.enum(['ring', 'maglev']).optional(),
  hashKey: z
    .string()
    .regex(/^(client|path|header:[A-Za-z0-9-]+)$/, 'use "client", "path" or "header:<name>"')
    .optional(),
  virtualNodes: z.int().min(1).max(1000).optional(),
  /** Any policy: pods that join or recover ramp from 10% to a full share over this window (Envoy's slow_start_window). */
  slowStart: durationString(1, 3_600_000).optional(),
});

export const LabTargetSpec = z
  .strictObject({
    kind: z.literal('lab'),
    pods: z.int().min(1).max(LIMITS.maxPods).default(POD_DEFAULTS.pods),
    policy: z.enum(POLICY_NAMES).default('round-robin'),
    mode: z.enum(['l7', 'l4']).default('l7'),
    /** Balancer weights (weighted policies). Not the pods' capacity: see `expect`. */
    weights: z.array(z.number().min(0).max(1000)).optional(),
    policyOptions: PolicyOptionsSpec.optional(),
    podBehaviour: z.array(PodBehaviourSpec).max(100).optional(),
    /**
     * Cold start of pods that join (scale-up) or restart (pod failure): service times start
     * `factor` times longer and ease to normal over `duration`. The pods of the test's start are warm.
     */
    warmup: warmupSpec.optional(),
    /** Consecutive failures after which the proxy ejects a pod. */
    ejectAfterFailures: z.int().min(1).max(100).default(3),
  })
  .superRefine((t, ctx) => {
    // Runs even when other fields failed (`when` below), so values may be of the wrong type.
    const pods = Number.isInteger(t.pods) && t.pods >= 1 ? t.pods : undefined;
    const weights = Array.isArray(t.weights) ? t.weights : undefined;
    if (t.policy === 'consistent-hash' && t.policyOptions?.slowStart !== undefined)
      ctx.addIssue({ code: 'custom', path: ['policyOptions', 'slowStart'], message: SLOW_START_WITH_HASH.message });
    for (const i of policyFitIssues(t.policy, t.policyOptions, t.weights)) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: i.message });
    if (weights && pods !== undefined && weights.length !== pods)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `has ${weights.length} entries for ${pods} pods` });
    if (weights && weights.length > 0 && weights.every((w) => w === 0))
      ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be above 0' });
    if (pods === undefined || !Array.isArray(t.podBehaviour)) return;
    t.podBehaviour.forEach((b, i) => {
      if (!b || !Array.isArray(b.pods)) return;
      b.pods.forEach((p, j) => {
        const m = typeof p === 'string' ? /^pod-(\d+)$/.exec(p) : null;
        if (typeof p === 'string' && !(m && Number(m[1]) >= 1 && Number(m[1]) <= pods))
          ctx.addIssue({ code: 'custom', path: ['podBehaviour', i, 'pods', j], message: `no pod "${p}" (pods are pod-1..pod-${pods})` });
      });
    });
  }, ALWAYS);

/** A pod name as a response header carries it: printable, no spaces. */
const urlPodName = z.string().min(1).max(253).regex(/^[\x21-\x7e]+$/, 'a pod name is printable ASCII without spaces');

export const UrlTargetSpec = z
  .strictObject({
    kind: z.literal('url'),
    url: z.url({ protocol: /^https?$/ }),
    /** Response header naming the pod that served the request. */
    podHeader: z.string().min(1).max(100).default('x-scale-pod'),
    /**
     * The pods behind the URL: how many, or their names (as the pod header gives them). A declared
     * pod that never answers counts with zero requests (targets/declared-pods.ts); without it only
     * the pods that answer are seen, so a balancer that starves pods looks even.
     */
    pods: z.union([z.int().min(1).max(LIMITS.maxPods), z.array(urlPodName).min(1).max(LIMITS.maxPods)]).optional(),
  })
  .superRefine((t, ctx) => {
    if (!Array.isArray(t.pods)) return;
    const seen = new Set<string>();
    t.pods.forEach((p, i) => {
      if (seen.has(p)) ctx.addIssue({ code: 'custom', path: ['pods', i], message: `"${p}" is named twice` });
      seen.add(p);
    });
  }, ALWAYS);

export const TargetSpec = z.discriminatedUnion('kind', [LabTargetSpec, UrlTargetSpec, KubernetesTargetSpec]);

export const StageSpec = z.strictObject({
  /** Arrivals per second at the end of the stage. */
  rate: z.number().min(0).max(LIMITS.maxRate),
  duration: durationString(LIMITS.minStageMs, LIMITS.maxDurationMs),
  /** Ramp linearly from the previous stage's rate (0 for the first) instead of stepping. */
  ramp: z.boolean().default(false),
});

/**
 * Load worker processes (a distributed run): each takes its share of the users or the arrival
 * rate and streams its windows to the engine, which merges them. Locally they are child
 * processes; an engine in a cluster runs them as an Indexed Job. Absent: one (the engine itself).
 */
const loadWorkers = z.int().min(1).max(LIMITS.maxLoadWorkers).optional();

/** Length of a load that gives none: closed model, and the open model's `rate` shorthand. */
export const DEFAULT_LOAD_DURATION = '30s';

export const ClosedLoadSpec = z.strictObject({
  model: z.literal('closed'),
  users: z.int().min(1).max(LIMITS.maxUsers).default(10),
  /** Users started per second. */
  spawnRate: z.number().min(0.1).max(LIMITS.maxSpawnRate).default(10),
  duration: durationString(LIMITS.minDurationMs, LIMITS.maxDurationMs).default(DEFAULT_LOAD_DURATION),
  /** Pause between a user's requests (a distribution, e.g. exp:100ms). */
  thinkTime: distributionString.optional(),
  workers: loadWorkers,
});

/**
 * Open model (arrival rate): either `stages`, or the shorthand `rate` + `duration` for one
 * constant stage (the same as `stages: [{ rate, duration }]`, and what `--rate`/`--duration`
 * set). A validated spec always holds `stages`: the shorthand is normalised to one stage.
 */
export const OpenLoadSpec = z
  .strictObject({
    model: z.literal('open'),
    /** Stages run one after another. Give either stages or rate (+ duration). */
    stages: z.array(StageSpec).min(1).max(LIMITS.maxStages).optional().meta({ description: 'stages run one after another; give either stages, or rate (+ duration)' }),
    /** Shorthand: arrivals per second of one constant stage (instead of stages). */
    rate: z.number().min(0).max(LIMITS.maxRate).optional().meta({ description: 'shorthand for one constant stage: arrivals per second (instead of stages)' }),
    /** Shorthand: length of that stage (default 30s, as the closed model's). */
    duration: durationString(LIMITS.minDurationMs, LIMITS.maxDurationMs)
      .optional()
      .meta({ description: `shorthand: length of the constant stage (default ${DEFAULT_LOAD_DURATION}; with rate)` }),
    workers: loadWorkers,
  })
  .superRefine((l, ctx) => {
    const short = l.rate !== undefined || l.duration !== undefined;
    if (l.stages !== undefined && short)
      ctx.addIssue({ code: 'custom', path: [l.rate !== undefined ? 'rate' : 'duration'], message: 'give either stages or rate + duration (one constant stage), not both' });
    else if (l.stages === undefined && l.rate === undefined)
      ctx.addIssue({ code: 'custom', path: l.duration !== undefined ? ['rate'] : ['stages'], message: 'the open model needs stages, or rate (+ duration) for one constant stage' });
    if (!Array.isArray(l.stages) || l.stages.length === 0) return;
    const total = l.stages.reduce((a, s) => a + (typeof s?.duration === 'string' ? (parseDuration(s.duration) ?? 0) : 0), 0);
    if (total > LIMITS.maxDurationMs)
      ctx.addIssue({ code: 'custom', path: ['stages'], message: `total duration ${total / 1000}s exceeds ${LIMITS.maxDurationMs / 1000}s` });
    if (total < LIMITS.minDurationMs)
      ctx.addIssue({ code: 'custom', path: ['stages'], message: `total duration must be at least ${LIMITS.minDurationMs / 1000}s` });
  }, ALWAYS)
  .transform((l) => ({
    model: l.model,
    stages: l.stages ?? [{ rate: l.rate as number, duration: l.duration ?? DEFAULT_LOAD_DURATION, ramp: false }],
    ...(l.workers !== undefined ? { workers: l.workers } : {}),
  }));

export const LoadSpec = z.discriminatedUnion('model', [ClosedLoadSpec, OpenLoadSpec]);

export const ConnectionsSpec = z.strictObject({
  keepAlive: z.boolean().default(true),
  maxConnections: z.int().min(1).max(LIMITS.maxConnections).default(64),
  /** Close a connection after this many requests; 0 = never (connection recycling). */
  requestsPerConnection: z.int().min(0).max(1_000_000).default(0),
});

/** Headers the HTTP client owns: setting them would fail every request. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length', 'te', 'trailer', 'proxy-connection']);

export const RequestSpec = z.strictObject({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']).default('GET'),
  path: z.string().regex(/^\/[^\s\u0000-\u001f\u007f]*$/, 'a path starts with / and has no spaces or control characters').max(2000).default('/'),
  /** Extra request headers; the ones that shape the connection itself are the load generator's. */
  headers: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/)
        .superRefine((h, ctx) => {
          if (CONNECTION_HEADERS.has(h.toLowerCase())) ctx.addIssue({ code: 'custom', message: `"${h}" is set by the load generator (connections.keepAlive sets connection reuse)` });
        }),
      z.string().max(4000).regex(NO_CONTROL, 'a header value has no control characters'),
    )
    .optional(),
  timeout: durationString(1, LIMITS.maxTimeoutMs).default('10s'),
});

export const ExpectSpec = z.strictObject({
  /**
   * Relative pod capacity, giving each pod's expected share of requests (equal when omitted): a
   * list in pod order, or a record by pod name (spec/capacity.ts).
   */
  capacity: CapacitySpec,
});

export const ThresholdsSpec = z.strictObject({
  balance: z.number().min(0).max(1).default(0.95),
  p99: durationString(0, LIMITS.maxTimeoutMs).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  /** Most the hottest pod may take over its expected share for the whole run (1.5: 1.5× its share). z.number refuses NaN and ±Infinity. */
  maxShareRatio: z
    .number({ error: 'a number above 1 (1.5: no pod may take more than 1.5× its expected share)' })
    .gt(1, 'above 1 (1.5: no pod may take more than 1.5× its expected share; every pod takes at least 1× on average)')
    .optional(),
});

export const TestSpecSchema = z
  .strictObject({
    name: z.string().min(1).max(100).regex(NO_CONTROL, 'a name has no control characters').default('scale-test'),
    target: TargetSpec.prefault({ kind: 'lab' }),
    load: LoadSpec.prefault({ model: 'closed' }),
    connections: ConnectionsSpec.prefault({}),
    request: RequestSpec.prefault({}),
    expect: ExpectSpec.optional(),
    thresholds: ThresholdsSpec.prefault({}),
    /** Seed for every random choice (policy, service times): same seed, same lab behaviour. */
    seed: z.int().min(0).max(2 ** 31 - 1).optional(),
    /** Worker threads the load generator uses in one process (not `load.workers`, the processes of a distributed run). */
    threads: z.int().min(1).max(LIMITS.maxThreads).optional(),
    /** Faults to inject into the lab, each at its `at` from the load start (chaos/fault-spec.ts). */
    faults: z.array(FaultSpecSchema).max(MAX_SPEC_FAULTS).optional(),
  })
  .superRefine((s, ctx) => {
    const t = s?.target;
    if (typeof s?.threads === 'number' && s.threads > 1 && typeof s?.load?.workers === 'number' && s.load.workers > 1)
      ctx.addIssue({ code: 'custom', path: ['threads'], message: 'use threads (one process) or load.workers (processes), not both' });
    for (const message of capacityIssues(s?.expect?.capacity, podNamesOf(t), 'name the pods behind the URL (target.pods as a list of names, --pod-names)'))
      ctx.addIssue({ code: 'custom', path: ['expect', 'capacity'], message });
    for (const i of specFaultIssues(s?.faults, t, loadMs(s?.load))) ctx.addIssue({ code: 'custom', ...i });
    const runners = [
      { path: 'threads', count: s?.threads, what: 'worker threads' },
      { path: 'load.workers', count: s?.load?.workers, what: 'load workers (processes)' },
    ];
    for (const i of connectionIssues(s?.connections, runners)) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: i.message });
  }, ALWAYS);

/**
 * The pods a target names before the run (the lab's pod-1..pod-N, a URL's declared names);
 * undefined when it names none. Values may be invalid here.
 */
export function podNamesOf(t: { kind?: unknown; pods?: unknown } | undefined): string[] | undefined {
  // A pod count out of range has its own issue; its names are not built (a huge count would be a huge list).
  if (t?.kind === 'lab') return Number.isInteger(t.pods) && (t.pods as number) >= 1 && (t.pods as number) <= LIMITS.maxPods ? labPodNames(t.pods as number) : undefined;
  return Array.isArray(t?.pods) && t.pods.every((p) => typeof p === 'string') ? (t.pods as string[]) : undefined;
}

/** Total length of a load in ms, when it can be told (values may be invalid here). */
function loadMs(l: { model?: unknown; duration?: unknown; stages?: unknown } | undefined): number | undefined {
  if (l?.model === 'closed') return typeof l.duration === 'string' ? parseDuration(l.duration) : undefined;
  if (l?.model === 'open' && l.stages === undefined) return parseDuration(typeof l.duration === 'string' ? l.duration : DEFAULT_LOAD_DURATION);
  if (!Array.isArray(l?.stages)) return undefined;
  const parts = l.stages.map((s: { duration?: unknown }) => (typeof s?.duration === 'string' ? parseDuration(s.duration) : undefined));
  return parts.every((p) => p !== undefined) ? parts.reduce((a, b) => a! + b!, 0) : undefined;
}

/** A TestSpec as the user may write it (defaults optional). */
export type TestSpecInput = z.input<typeof TestSpecSchema>;
/** A validated TestSpec with every default filled in. */
export type TestSpec = z.output<typeof TestSpecSchema>;
export type LabTarget = z.output<typeof LabTargetSpec>;
export type UrlTarget = z.output<typeof UrlTargetSpec>;
export type { KubernetesTarget } from './kubernetes-target-spec.js';
export type LoadModelSpec = z.output<typeof LoadSpec>;
export type PodBehaviourInput = z.output<typeof PodBehaviourSpec>;
