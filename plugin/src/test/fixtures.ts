/**
 * Engine answers for jest tests, in the shapes of api/types.ts (the engine's /openapi.json as
 * the pages read it). Each builder takes overrides, so a test states only what it is about.
 */
import type {
  Balance,
  FaultRecord,
  LiveTick,
  PodResult,
  Result,
  ResultSummary,
  RunStatusAnswer,
  ScenarioInfo,
  TimelinePoint,
  TunerState,
} from '../api/types';

export const RUN_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const OTHER_ID = 'f9e8d7c6-0000-4000-8000-000000000002';

export function pods(shares: number[] = [0.2, 0.2, 0.2, 0.2, 0.2], requests = 1000): PodResult[] {
  return shares.map((share, i) => ({
    name: `pod-${i}`,
    requests: Math.round(share * requests),
    share,
    expectedShare: 1 / shares.length,
    errors: 0,
    latency: { p50: 0.01, p99: 0.05 },
    utilisation: share,
    eligible: true,
  }));
}

export function point(t: number, o: Partial<TimelinePoint> = {}): TimelinePoint {
  return {
    t,
    requests: 200,
    errors: 0,
    rps: 200,
    latency: { p50: 0.01, p99: 0.04 },
    pods: { 'pod-0': 40, 'pod-1': 40, 'pod-2': 40, 'pod-3': 40, 'pod-4': 40 },
    score: 0.99,
    verdict: 'balanced',
    utilisation: 0.98,
    inflight: 5,
    users: 50,
    ...o,
  };
}

const balance: Balance = {
  score: 0.998,
  cov: 0.02,
  maxMean: 1.03,
  chiSquareP: 0.6,
  verdict: 'balanced',
  basis: 'utilisation',
  requestScore: 0.996,
  utilisation: 0.97,
};

/** A spec as the engine echoes it has every default filled; the pages read only these fields. */
const spec = {
  name: 'checkout',
  target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l7' },
  load: { model: 'closed', users: 50, spawnRate: 10, duration: '10s' },
  thresholds: { balance: 0.95 },
} as Result['spec'];

export function result(o: Partial<Result> = {}): Result {
  return {
    id: RUN_ID,
    spec,
    status: 'finished',
    startedAt: '2026-01-02T03:04:05.000Z',
    endedAt: '2026-01-02T03:04:15.000Z',
    duration: 10,
    totals: { requests: 2000, errors: 0, rps: 200, errorRate: 0, dropped: 0 },
    errorsByKind: { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 },
    statusCodes: { '200': 2000 },
    latency: { mean: 0.012, p50: 0.01, p90: 0.02, p99: 0.04, max: 0.09 },
    pods: pods(),
    balance,
    thresholds: [{ name: 'balance', limit: 0.95, value: 0.998, pass: true }],
    timeline: [1, 2, 3].map((t) => point(t)),
    faults: [],
    ...o,
  };
}

export function summary(o: Partial<ResultSummary> = {}): ResultSummary {
  return {
    id: RUN_ID,
    name: 'checkout',
    status: 'finished',
    startedAt: '2026-01-02T03:04:05.000Z',
    endedAt: '2026-01-02T03:04:15.000Z',
    requests: 2000,
    errors: 0,
    rps: 200,
    score: 0.998,
    verdict: 'balanced',
    basis: 'utilisation',
    requestScore: 0.996,
    policy: 'round-robin',
    targetKind: 'lab',
    ...o,
  };
}

export function liveTick(o: Partial<LiveTick> = {}): LiveTick {
  return {
    id: RUN_ID,
    name: 'checkout',
    elapsed: 3,
    expectedDuration: 10,
    window: { ...point(3), balance },
    pods: pods(),
    totals: { requests: 600, errors: 0, balance },
    ...o,
  };
}

export function status(o: Partial<RunStatusAnswer> = {}): RunStatusAnswer {
  return {
    id: RUN_ID,
    name: 'checkout',
    status: 'running',
    elapsed: 3,
    expectedDuration: 10,
    progress: 0.3,
    totals: { requests: 600, errors: 0, rps: 200, errorRate: 0, dropped: 0 },
    balance,
    window: { ...point(3), balance },
    pods: pods(),
    ...o,
  };
}

export function fault(o: Partial<FaultRecord> = {}): FaultRecord {
  return {
    id: 'fault-1',
    testId: RUN_ID,
    type: 'latency',
    severity: 'high',
    pods: ['pod-2'],
    params: { delay: '500ms', fraction: 1 },
    source: 'api',
    state: 'active',
    startedAt: '2026-01-02T03:04:07.000Z',
    expiresAt: '2026-01-02T03:04:27.000Z',
    endedAt: null,
    ...o,
  };
}

export function tuner(o: Partial<TunerState> = {}): TunerState {
  return {
    enabled: false,
    scope: null,
    dryRun: false,
    windows: 3,
    cooldownMs: 10000,
    watching: [],
    applied: [],
    decisions: [],
    ...o,
  };
}

export const SCENARIOS: ScenarioInfo[] = [
  {
    name: 'high-traffic',
    title: 'High traffic',
    description: 'Many users at once.',
    lookFor: 'shares stay even',
    labOnly: false,
    parameters: [],
    example: { name: 'high-traffic', target: { kind: 'lab' }, load: { model: 'closed', users: 200 } },
  },
  {
    name: 'slow-pod',
    title: 'Slow pod',
    description: 'One pod five times slower.',
    lookFor: 'less traffic to the slow pod',
    labOnly: true,
    parameters: [],
    example: { name: 'slow-pod', target: { kind: 'lab' }, load: { model: 'closed', users: 50 } },
  },
];
