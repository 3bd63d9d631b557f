/**
 * The engine API as the pages read it: a client's view of the shapes described at the engine's
 * `/openapi.json` (fields a page does not read are left out). Times and latencies in seconds.
 */

export type Verdict = 'balanced' | 'imbalanced' | 'insufficient-data' | 'no-data';
export type RunStatus = 'starting' | 'running' | 'finished' | 'stopped' | 'failed' | 'interrupted';

/** One problem of a refused request: `path` names the field (`load.users`), as the engine's zod validation reports it. */
export interface Issue {
  path: string;
  message: string;
}

export interface Health {
  status: string;
  version: string;
  uptime: number;
  runningTests: number;
}

export interface Balance {
  score: number;
  cov: number;
  maxMean: number;
  chiSquareP: number;
  verdict: Verdict;
  utilisation: number | null;
  /** What the verdict judged: pod work (busy time) where the target reports it, else requests. */
  basis?: 'utilisation' | 'requests';
  /** Jain score of requests against the expected shares (the score when basis is requests). */
  requestScore?: number;
  /** Why no verdict could be given (no-data). */
  reason?: string;
}

export interface PodResult {
  name: string;
  requests: number;
  share: number;
  expectedShare: number;
  errors: number;
  latency: { p50: number; p99: number };
  utilisation?: number;
  eligible: boolean;
}

export interface TimelinePoint {
  t: number;
  requests: number;
  errors: number;
  rps: number;
  latency: { p50: number; p99: number };
  pods: Record<string, number>;
  score: number;
  verdict: Verdict;
  utilisation: number | null;
  inflight: number;
  users: number;
}

export interface ThresholdResult {
  /** balance, p99, errorRate, or responses (fails when no request got a successful response). */
  name: string;
  limit: number | string;
  value: number | null;
  pass: boolean;
  /** Why it failed when the numbers alone do not say. */
  reason?: string;
}

export interface FaultSummary {
  id: string;
  type: string;
  pods: string[];
  startedAt: number;
  endedAt: number | null;
  params: Record<string, unknown>;
  endReason?: string;
  error?: string;
}

/** A TestSpec as the engine echoes it (validated, defaults filled). Pages read only a few fields. */
export interface TestSpec {
  name: string;
  target: { kind: 'lab' | 'url' | 'kubernetes'; pods?: number; policy?: string; mode?: 'l7' | 'l4'; url?: string; podHeader?: string; [k: string]: unknown };
  load: { model: 'closed' | 'open'; users?: number; spawnRate?: number; duration?: string; rate?: number; stages?: Stage[]; [k: string]: unknown };
  connections?: { keepAlive?: boolean; maxConnections?: number; requestsPerConnection?: number };
  thresholds?: { balance?: number; p99?: string; errorRate?: number };
  [k: string]: unknown;
}

export interface Stage {
  rate: number;
  duration: string;
  ramp?: boolean;
}

export interface Result {
  id: string;
  spec: TestSpec;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  duration: number;
  totals: { requests: number; errors: number; rps: number; errorRate: number; dropped: number };
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  pods: PodResult[];
  balance: Balance;
  thresholds: ThresholdResult[];
  timeline: TimelinePoint[];
  faults?: FaultSummary[];
  error?: { code: string; message: string };
}

export interface ResultSummary {
  id: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  requests: number;
  errors: number;
  rps: number;
  score: number;
  verdict: Verdict;
  policy?: string;
  targetKind: string;
  /** Each threshold's outcome once the run has ended; absent while it runs. */
  thresholds?: ThresholdResult[];
}

export interface ResultPage {
  items: ResultSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface ResultQuery {
  limit?: number;
  offset?: number;
  status?: RunStatus;
  name?: string;
}

/** GET /api/load-test/status/{id}. */
export interface RunStatusAnswer {
  id: string;
  name: string;
  status: RunStatus;
  elapsed: number;
  expectedDuration: number;
  progress: number;
  totals: { requests: number; errors: number };
  balance?: Balance;
  window?: TimelinePoint & { balance: Balance };
  pods?: PodResult[];
  error?: { code: string; message: string };
}

/** One running test in GET /api/metrics. */
export interface LiveTick {
  id: string;
  name: string;
  elapsed: number;
  expectedDuration: number;
  window: TimelinePoint & { balance: Balance };
  pods: PodResult[];
  totals: { requests: number; errors: number; balance: Balance };
}

export interface ScenarioParam {
  name: string;
  type: string;
  description: string;
  default: unknown;
  minimum?: number | string;
  maximum?: number | string;
  values?: string[];
}

export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  lookFor: string;
  labOnly: boolean;
  parameters: ScenarioParam[];
}

export interface Adjustment {
  path: string;
  from: unknown;
  to: unknown;
  reason: string;
}

export interface GeneratedScenario {
  source: 'builtin' | 'llm';
  model?: string;
  type: string;
  spec: TestSpec;
  adjustments: Adjustment[];
  rationale: string;
}

export type FaultState = 'active' | 'ended' | 'failed';

export interface FaultRecord {
  id: string;
  testId: string;
  type: string;
  severity: 'low' | 'medium' | 'high';
  pods: string[];
  params: Record<string, unknown>;
  source: 'spec' | 'api';
  state: FaultState;
  startedAt: string;
  expiresAt: string;
  endedAt?: string | null;
  endReason?: string;
  error?: string;
}

export interface FaultRequest {
  testId: string;
  type: string;
  severity: 'low' | 'medium' | 'high';
  duration: string;
  pods?: string[];
}

export interface Setting {
  policy: string;
  policyOptions: Record<string, unknown>;
  mode: 'l7' | 'l4';
  weights?: number[];
  requestsPerConnection: number;
}

export interface Score {
  balance: number;
  balanceKind: 'utilisation' | 'requests';
  countScore: number;
  utilisation: number | null;
  p50Ms: number;
  p99Ms: number;
  errorRate: number;
  requests: number;
}

export interface DecisionRow {
  id: string;
  current: boolean;
  setting: Setting;
  predicted: Score;
  measured?: Score;
  reason?: string;
}

export interface TuningDecision {
  id: string;
  at: string;
  testId?: string;
  trigger: 'closed-loop' | 'manual' | 'recommend';
  action: 'applied' | 'kept' | 'recommended' | 'dry-run';
  current: DecisionRow;
  winner: DecisionRow;
  rows: DecisionRow[];
  note: string;
}

export interface TunerState {
  enabled: boolean;
  scope: 'all' | { testId: string } | null;
  dryRun: boolean;
  windows: number;
  cooldownMs: number;
  watching: string[];
  applied: Array<{ testId: string; current: Setting; original: Setting }>;
  decisions: TuningDecision[];
}

export interface CompareRow {
  rank: number;
  label: string;
  policy: string;
  score: number;
  verdict: Verdict;
  utilisation: number | null;
  p50: number;
  p99: number;
  errorRate: number;
  requests: number;
  pass: boolean;
  basis?: 'utilisation' | 'requests';
  requestScore?: number;
  /** Ranked by balance: false when its p99 or error rate broke the limits. */
  feasible?: boolean;
  violations?: string[];
}

/** An alert Alertmanager delivered to the engine (GET /api/alerts; engine alerts/alert.ts). */
export interface EngineAlert {
  fingerprint: string;
  /** The alertname label, e.g. ScaleImbalance. */
  name: string;
  status: 'firing' | 'resolved';
  /** severity, test (`<spec name>/<first 8 characters of the run id>`), and the rule's others. */
  labels: Record<string, string>;
  /** summary, description, runbook_url. */
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  receivedAt?: string;
  updatedAt?: string;
}
