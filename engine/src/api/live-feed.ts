import { EventEmitter } from 'node:events';
import type { Alert, AlertEvent } from '../alerts/alert.js';
import type { FaultEvent } from '../chaos/fault.js';
import type { Result } from '../core/result.js';
import type { RunManager } from '../runs/run-manager.js';
import type { RunTick } from '../runs/run-events.js';

/**
 * One message of the live stream (WebSocket /ws/metrics and GET /api/metrics); faults as they
 * start and end; alerts (from Alertmanager via POST /api/alerts) as they fire and resolve.
 */
export type LiveMessage =
  | { type: 'snapshot'; tests: RunTick[]; alerts: Alert[] }
  | { type: 'tick'; test: RunTick }
  | { type: 'done'; id: string; name: string; status: Result['status']; result: LiveSummary }
  | { type: 'status'; id: string; name: string; status: string }
  | { type: 'fault'; id: string; name: string; event: FaultEvent }
  | ({ type: 'alert' } & AlertEvent);

/** The end of a run in a few numbers (the full Result is at GET /api/results/{id}). */
export interface LiveSummary {
  requests: number;
  errors: number;
  rps: number;
  score: number;
  verdict: string;
  /** What score and verdict were judged on (README "The balance score"). */
  basis: string;
  p99: number;
}

export interface LiveFeedEvents {
  message: [message: LiveMessage];
}

/**
 * Keeps the last tick of every running test and re-emits run events as LiveMessages, so the
 * WebSocket, the snapshot endpoint and any future consumer share one subscription per run.
 */
export class LiveFeed extends EventEmitter<LiveFeedEvents> {
  private readonly last = new Map<string, RunTick>();

  constructor(
    runs: RunManager,
    private readonly alerts?: { subscribe(listener: (e: AlertEvent) => void): () => void; active(): Alert[] },
  ) {
    super();
    alerts?.subscribe((e) => this.emit('message', { type: 'alert', ...e }));
    runs.on('run', (run) => {
      run.on('status', (status) => this.emit('message', { type: 'status', id: run.id, name: run.spec.name, status }));
      run.on('fault', (event) => this.emit('message', { type: 'fault', id: run.id, name: run.spec.name, event }));
      run.on('tick', (tick) => {
        this.last.set(run.id, tick);
        this.emit('message', { type: 'tick', test: tick });
      });
      run.on('done', (r) => {
        this.last.delete(run.id);
        this.emit('message', {
          type: 'done',
          id: r.id,
          name: r.spec.name,
          status: r.status,
          result: { requests: r.totals.requests, errors: r.totals.errors, rps: r.totals.rps, score: r.balance.score, verdict: r.balance.verdict, basis: r.balance.basis, p99: r.latency.p99 },
        });
      });
    });
  }

  /** The latest tick of each running test. */
  snapshot(): RunTick[] {
    return [...this.last.values()];
  }

  /** The firing alerts (none without an alert source). */
  activeAlerts(): Alert[] {
    return this.alerts?.active() ?? [];
  }

  latest(id: string): RunTick | undefined {
    return this.last.get(id);
  }
}
