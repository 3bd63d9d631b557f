/**
 * The engine API as the pages read it. The engine's own types are the contract: they are
 * imported type-only (erased at build, so the bundle carries no engine code) and re-exported
 * under the names the pages use. A type is declared here only where the engine has none (an
 * answer built inline by a route) or where the plugin's use differs; each such place says why.
 * Times and latencies in seconds.
 */
import type { Alert } from '../../../engine/src/alerts/alert';
import type { FaultRecord as EngineFaultRecord } from '../../../engine/src/chaos/fault';
import type { FaultInjectInput } from '../../../engine/src/chaos/fault-spec';
import type { Issue as EngineIssue } from '../../../engine/src/core/errors';
import type { BalanceResult, Result } from '../../../engine/src/core/result';
import type { RunTick } from '../../../engine/src/runs/run-events';
import type { Adjustment } from '../../../engine/src/scenarios/clamp-spec';
import type { GeneratedScenario } from '../../../engine/src/scenarios/generation';
import type { ParamInfo } from '../../../engine/src/scenarios/params';
import type { ScenarioInfo } from '../../../engine/src/scenarios/registry';
import type { CompareRow } from '../../../engine/src/sim/compare';
import type { ResultPage as StorePage } from '../../../engine/src/store/result-store';
import type { Score } from '../../../engine/src/analysis/objective';
import type { Setting } from '../../../engine/src/tuning/candidates';
import type { TunerState } from '../../../engine/src/tuning/tuner-state';
import type { DecisionRow, TuningDecision } from '../../../engine/src/tuning/tuning-decision';

export type {
  FaultSummary,
  PodResult,
  Result,
  RunStatus,
  ThresholdResult,
  TimelinePoint,
  Verdict,
} from '../../../engine/src/core/result';
export type { ResultQuery, ResultSummary } from '../../../engine/src/store/result-store';
export type {
  Adjustment,
  CompareRow,
  DecisionRow,
  GeneratedScenario,
  ScenarioInfo,
  Score,
  Setting,
  TunerState,
  TuningDecision,
};

/** One problem of a refused request: `path` names the field (`load.users`), as the engine's zod validation reports it. */
export type Issue = EngineIssue;
export type Balance = BalanceResult;
export type ScenarioParam = ParamInfo;
/** One running test in GET /api/metrics: the run's one-second tick as the engine emits it. */
export type LiveTick = RunTick;
/** An alert Alertmanager delivered to the engine (GET /api/alerts, and the firing ones in GET /api/metrics). */
export type EngineAlert = Alert;
export type FaultRecord = EngineFaultRecord;
export type FaultState = EngineFaultRecord['state'];
/** The body of POST /api/failure/inject (engine defaults fill what is left out). */
export type FaultRequest = FaultInjectInput;

/** GET /api/results: the store's page, and the paging the route answered with (defaults filled). */
export type ResultPage = StorePage & { limit: number; offset: number };

/** GET /health; the engine builds this answer inline (api/routes/system.ts), so it has no type to import. */
export interface Health {
  status: string;
  version: string;
  uptime: number;
  runningTests: number;
}

/**
 * GET /api/load-test/status/{id}; built inline by api/routes/load-test.ts from the run's snapshot
 * (or its stored Result) and its latest tick: `window` and `recent` only while the run is live.
 */
export type RunStatusAnswer = Pick<Result, 'id' | 'status' | 'totals' | 'pods' | 'balance' | 'error'> &
  Pick<RunTick, 'name' | 'elapsed' | 'expectedDuration' | 'recent'> & { progress: number; window?: RunTick['window'] };

/**
 * A TestSpec as the Load test form edits, sends and reads it back: looser than the engine's
 * (`TestSpec` is its validated output with every default filled, `TestSpecInput` a union by
 * target kind), because the form keeps a spec the engine produced as its base and overrides a
 * few fields without narrowing; the engine validates what is sent. `pods`: a lab's count, or
 * the pod names a URL target declares.
 */
export interface TestSpec {
  name: string;
  target: {
    kind: 'lab' | 'url' | 'kubernetes';
    pods?: number | string[];
    policy?: string;
    mode?: 'l7' | 'l4';
    url?: string;
    podHeader?: string;
    [k: string]: unknown;
  };
  load: {
    model: 'closed' | 'open';
    users?: number;
    spawnRate?: number;
    duration?: string;
    rate?: number;
    stages?: Stage[];
    [k: string]: unknown;
  };
  connections?: { keepAlive?: boolean; maxConnections?: number; requestsPerConnection?: number };
  thresholds?: { balance?: number; p99?: string; errorRate?: number; maxShareRatio?: number };
  [k: string]: unknown;
}

export interface Stage {
  rate: number;
  duration: string;
  ramp?: boolean;
}
