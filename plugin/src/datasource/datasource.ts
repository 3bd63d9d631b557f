import { Observable, from, map, merge, switchMap, takeWhile, timer } from 'rxjs';
import {
  createDataFrame,
  DataSourceApi,
  FieldType,
  LoadingState,
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { EngineClient } from '../api/engine-client';
import { describeError, toEngineError } from '../api/engine-error';
import { POLL_MS } from '../constants';
import { faultAnnotations, podsFrame, runsFrame, timelineFrame } from './frames';
import { DEFAULT_QUERY, type ScaleDataSourceOptions, type ScaleQuery } from './types';

/**
 * The engine as a datasource, through Grafana's data proxy (the `engine` route of this
 * datasource's plugin.json): no backend binary of its own. Query types: runs list, one run's
 * result (per-pod table and timeline), live distribution (streams every second), balance timeline.
 */
export class ScaleDataSource extends DataSourceApi<ScaleQuery, ScaleDataSourceOptions> {
  readonly client: EngineClient;

  constructor(settings: DataSourceInstanceSettings<ScaleDataSourceOptions>) {
    super(settings);
    this.client = new EngineClient(`${settings.url}/engine`);
    // Annotations use the same queries: the `faults` type answers a frame of fault spans.
    this.annotations = {
      prepareQuery: (a: AnnotationQuery<ScaleQuery>) =>
        ({ ...(a.target ?? DEFAULT_QUERY), queryType: 'faults', refId: 'annotations' }) as ScaleQuery,
    };
  }

  getDefaultQuery(): Partial<ScaleQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(q: ScaleQuery): boolean {
    return !q.hide;
  }

  private testIdOf(q: ScaleQuery, r: DataQueryRequest<ScaleQuery>): string {
    return getTemplateSrv()
      .replace(q.testId ?? '', r.scopedVars)
      .trim();
  }

  query(request: DataQueryRequest<ScaleQuery>): Observable<DataQueryResponse> {
    const streams = request.targets.map((q) => {
      const id = this.testIdOf(q, request);
      const needsId = q.queryType !== 'runs' && q.queryType !== undefined;
      if (needsId && !id) {
        return from([{ data: [], errors: [{ refId: q.refId, message: 'Choose a test id (or a $test variable)' }] }]);
      }
      switch (q.queryType) {
        case 'live':
          return this.live(q, id, request.requestId);
        case 'result':
          return from(
            this.client
              .result(id)
              .then((r) => ({ data: [podsFrame(r.pods, q.refId), timelineFrame(r.startedAt, r.timeline, q.refId)] }))
          );
        case 'balance':
          return from(
            this.client.result(id).then((r) => ({ data: [timelineFrame(r.startedAt, r.timeline, q.refId, true)] }))
          );
        case 'faults':
          return from(this.client.result(id).then((r) => ({ data: [faultAnnotations(r)] })));
        default: {
          return from(
            this.client
              .results({ limit: 500, status: (q.status as never) || undefined, name: q.name || undefined })
              .then((p) => ({ data: [runsFrame(p.items, q.refId)] }))
          );
        }
      }
    });
    return merge(...streams).pipe(
      map((r) => r as DataQueryResponse),
      (src) =>
        new Observable<DataQueryResponse>((sub) =>
          src.subscribe({
            next: (v) => sub.next(v),
            error: (e) => {
              const err = toEngineError(e);
              sub.next({ data: [], errors: [{ message: `${describeError(err).title}: ${err.message}` }] });
              sub.complete();
            },
            complete: () => sub.complete(),
          })
        )
    );
  }

  /** The live distribution: the status of a running test every second, until it ends. */
  private live(q: ScaleQuery, id: string, key?: string): Observable<DataQueryResponse> {
    return timer(0, POLL_MS).pipe(
      switchMap(() => from(this.client.status(id))),
      takeWhile((s) => s.status === 'starting' || s.status === 'running', true),
      map((s) => {
        const running = s.status === 'starting' || s.status === 'running';
        const frames: DataFrame[] = [podsFrame(s.pods ?? [], q.refId, 'live distribution')];
        if (s.window) {
          frames.push(
            createDataFrame({
              refId: q.refId,
              name: 'window',
              fields: [
                { name: 'time', type: FieldType.time, values: [Date.now()] },
                { name: 'score', type: FieldType.number, values: [s.window.score] },
                { name: 'rps', type: FieldType.number, values: [s.window.rps] },
                { name: 'p99', type: FieldType.number, values: [s.window.latency.p99], config: { unit: 's' } },
              ],
            })
          );
        }
        return {
          data: frames,
          key: `${key ?? ''}${q.refId}`,
          state: running ? LoadingState.Streaming : LoadingState.Done,
        };
      })
    );
  }

  /** Template variables: `runs` gives the stored test ids (newest first), text = name and short id. */
  async metricFindQuery(query: string): Promise<MetricFindValue[]> {
    const status = query.trim() || undefined;
    const page = await this.client.results({ limit: 200, status: status as never });
    return page.items.map((r) => ({ text: `${r.name} (${r.id.slice(0, 8)})`, value: r.id }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const h = await this.client.health();
      await this.client.results({ limit: 1 });
      return {
        status: 'success',
        message: `Scale engine ${h.version} is up (${h.runningTests} test(s) running) and accepts the token.`,
      };
    } catch (e) {
      const err = toEngineError(e);
      const d = describeError(err);
      return { status: 'error', message: `${d.title}: ${err.message}${d.hint ? ` ${d.hint}` : ''}` };
    }
  }
}
