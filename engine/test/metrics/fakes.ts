import { EventEmitter } from 'node:events';
import { ManualClock } from '../../src/core/clock.js';
import type { RunStatus } from '../../src/core/result.js';
import type { WindowLatency } from '../../src/load/load-report.js';
import type { ObservableRun } from '../../src/metrics/engine-metrics.js';
import type { Cancel, Scheduler } from '../../src/metrics/scheduler.js';
import type { MetricsTick } from '../../src/metrics/tick-metrics.js';
import type { TestRun } from '../../src/runs/test-run.js';

// A real TestRun must be accepted where the metrics take an ObservableRun.
export type TestRunFits = TestRun extends ObservableRun ? true : never;
export const testRunFits: TestRunFits = true;

/** A stand-in TestRun: an EventEmitter with the fields the metrics read. */
export class FakeRun extends EventEmitter<{ status: [RunStatus]; tick: [MetricsTick, WindowLatency?]; done: [] }> implements ObservableRun {
  status: RunStatus = 'starting';
  readonly spec: { name: string };
  constructor(
    readonly id: string,
    name: string,
  ) {
    super();
    this.spec = { name };
  }
  setStatus(s: RunStatus): void {
    this.status = s;
    this.emit('status', s);
  }
  end(s: RunStatus = 'finished'): void {
    this.setStatus(s);
    this.emit('done');
  }
}

/** A tick with equal expected shares: pods as [name, requests, errors, p50 s, p99 s]. */
export function tick(
  pods: Array<[name: string, requests: number, errors: number, p50: number, p99: number]>,
  balance: Partial<MetricsTick['window']['balance']> = {},
  extra: { requests?: number; errors?: number } = {},
): MetricsTick {
  const total = pods.reduce((a, p) => a + p[1], 0);
  return {
    window: {
      requests: extra.requests ?? total,
      errors: extra.errors ?? pods.reduce((a, p) => a + p[2], 0),
      balance: { score: 1, cov: 0, maxMean: 1, chiSquareP: 1, verdict: 'balanced', ...balance },
    },
    pods: pods.map(([name, requests, errors, p50, p99]) => ({
      name,
      requests,
      errors,
      share: total > 0 ? requests / total : 0,
      expectedShare: 1 / pods.length,
      latency: { p50, p99 },
    })),
  };
}

/** setTimeout on a ManualClock: `advance` moves time and runs what is due, in order. */
export class FakeScheduler implements Scheduler {
  private tasks: Array<{ at: number; task: () => void; live: boolean }> = [];
  constructor(readonly clock = new ManualClock()) {}
  schedule(task: () => void, delayMs: number): Cancel {
    const t = { at: this.clock.now() + delayMs, task, live: true };
    this.tasks.push(t);
    return () => {
      t.live = false;
    };
  }
  get pending(): number {
    return this.tasks.filter((t) => t.live).length;
  }
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.clock.set(Math.max(this.clock.now(), due.at));
      due.live = false;
      due.task();
    }
    this.clock.set(end);
    this.tasks = this.tasks.filter((t) => t.live);
  }
}

/** The sample lines of one metric family (without HELP/TYPE), exactly as exposed. */
export function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
