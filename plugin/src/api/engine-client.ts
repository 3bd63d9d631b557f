import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { ENGINE_PROXY_BASE } from '../constants';
import { toEngineError } from './engine-error';
import type {
  CompareRow,
  EngineAlert,
  FaultRecord,
  FaultRequest,
  FaultState,
  GeneratedScenario,
  Health,
  LiveTick,
  Result,
  ResultPage,
  ResultQuery,
  RunStatusAnswer,
  ScenarioInfo,
  TestSpec,
  TunerState,
} from './types';

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * The engine's HTTP API through a Grafana proxy route (`base`): the app's plugin proxy for the
 * pages, the datasource proxy for queries. Grafana adds the bearer token on the server, so the
 * browser never holds it. Every failure is an EngineError.
 */
export class EngineClient {
  constructor(private readonly base: string = ENGINE_PROXY_BASE) {}

  async call<T>(
    method: Method,
    path: string,
    body?: unknown,
    params?: Record<string, string | number | undefined>
  ): Promise<T> {
    try {
      const res = await lastValueFrom(
        getBackendSrv().fetch<T>({
          url: `${this.base}${path}`,
          method,
          data: body,
          params: params
            ? Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''))
            : undefined,
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      return res.data;
    } catch (e) {
      throw toEngineError(e);
    }
  }

  /** The URL a download link can point at (same proxy, so the token still stays on the server). */
  url(path: string): string {
    return `${this.base}${path}`;
  }

  health = () => this.call<Health>('GET', '/health');
  startTest = (spec: TestSpec) =>
    this.call<{ id: string; status: string; error?: { message: string } }>('POST', '/api/load-test/start', spec);
  stopTest = (id: string) =>
    this.call<{ id: string; status: string }>('POST', `/api/load-test/stop/${encodeURIComponent(id)}`);
  status = (id: string) => this.call<RunStatusAnswer>('GET', `/api/load-test/status/${encodeURIComponent(id)}`);
  live = () => this.call<{ tests: LiveTick[] }>('GET', '/api/metrics');
  results = (q: ResultQuery = {}) => this.call<ResultPage>('GET', '/api/results', undefined, { ...q });
  result = (id: string) => this.call<Result>('GET', `/api/results/${encodeURIComponent(id)}`);
  scenarios = () => this.call<{ scenarios: ScenarioInfo[] }>('GET', '/api/scenarios');
  scenarioSpec = (name: string, base?: Partial<TestSpec>) =>
    this.call<{ spec: TestSpec }>('POST', `/api/scenarios/${encodeURIComponent(name)}/spec`, {
      params: {},
      ...(base ? { base } : {}),
    });
  generate = (type: string, target?: TestSpec['target'], description?: string) =>
    this.call<GeneratedScenario>('POST', '/api/scenario/generate', {
      type,
      ...(target ? { target } : {}),
      ...(description ? { description } : {}),
    });
  faults = (q: { testId?: string; state?: FaultState } = {}) =>
    this.call<{ faults: FaultRecord[] }>('GET', '/api/failures', undefined, q);
  inject = (f: FaultRequest) => this.call<FaultRecord>('POST', '/api/failure/inject', f);
  removeFault = (id: string) => this.call<FaultRecord>('DELETE', `/api/failure/${encodeURIComponent(id)}`);
  tuning = () => this.call<TunerState>('GET', '/api/tuning');
  enableTuning = (testId?: string) => this.call<TunerState>('POST', '/api/tuning/enable', testId ? { testId } : {});
  disableTuning = () => this.call<{ state: TunerState }>('POST', '/api/tuning/disable', {});
  simulate = (spec: Record<string, unknown>) =>
    this.call<Result & { simulatedRequestsPerSecond: number }>('POST', '/api/simulate', spec);
  compare = (spec: Record<string, unknown>, rankBy: 'balance' | 'utilisation' | 'requests' | 'p99') =>
    this.call<{ rankBy: string; rows: CompareRow[] }>('POST', '/api/compare', { spec, rankBy });
  /** Alerts Alertmanager delivered (firing first); an engine without the alerts route answers 404, read as "none". */
  alerts = async (status?: 'firing' | 'resolved'): Promise<EngineAlert[]> => {
    try {
      const r = await this.call<{ alerts?: EngineAlert[] }>('GET', '/api/alerts', undefined, { status });
      return r.alerts ?? [];
    } catch (e) {
      if ((e as { status?: number }).status === 404) {
        return [];
      }
      throw e;
    }
  };
}

export const engine = new EngineClient();
