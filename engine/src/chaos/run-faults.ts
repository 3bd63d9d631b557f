import { durationMs } from '../core/duration.js';
import { mathRandom, seededRandom, type Random } from '../core/random.js';
import type { FaultSummary } from '../core/result.js';
import type { TestSpec } from '../spec/test-spec.js';
import type { Target } from '../targets/target.js';
import type { ChaosLab, EndReason, FaultEvent } from './fault.js';
import { FaultManager } from './fault-manager.js';
import type { FaultSpec } from './fault-spec.js';

/**
 * The faults of one run: attaches the run's lab to the manager (so faults can also be injected
 * through the API while it runs), applies the TestSpec's faults at their `at` relative to the
 * load start, keeps the Result's `faults` summary, and rolls everything back on `close`.
 */
export class RunFaults {
  private readonly summary = new Map<string, FaultSummary>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Epoch ms of the load start; faults applied before it start at 0. */
  private loadStart: number | undefined;
  private closing: Promise<void> | undefined;
  private readonly listener = (e: FaultEvent): void => {
    if (e.fault.testId !== this.test.id) return;
    this.note(e);
    this.onEvent(e);
  };

  constructor(
    private readonly manager: FaultManager,
    private readonly test: { id: string; name: string },
    lab: ChaosLab,
    private readonly faults: readonly FaultSpec[],
    /** Told about every fault event of this run (the run re-emits them). */
    private readonly onEvent: (e: FaultEvent) => void,
    random?: Random,
  ) {
    manager.attach(test, lab, random);
    manager.on('fault', this.listener);
  }

  /** Applies the faults that start at 0, in spec order, before any traffic is sent. */
  async applyInitial(): Promise<void> {
    for (const f of this.faults) if (durationMs(f.at) === 0) await this.inject(f);
  }

  /** Schedules the other faults relative to `loadStart` (epoch ms, now). */
  schedule(loadStart: number): void {
    this.loadStart = loadStart;
    for (const f of this.faults) {
      const at = durationMs(f.at);
      if (at === 0 || this.closing) continue;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.inject(f);
      }, at);
      this.timers.add(timer);
    }
  }

  /** What happened so far, for the Result: times in seconds from the load start. */
  summaries(): FaultSummary[] {
    return [...this.summary.values()].sort((a, b) => a.startedAt - b.startedAt).map((s) => ({ ...s, pods: [...s.pods] }));
  }

  /** Cancels faults not yet started and rolls back the active ones. Idempotent. */
  close(reason: EndReason): Promise<void> {
    this.closing ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      await this.manager.detach(this.test.id, reason);
      this.manager.off('fault', this.listener);
    })();
    return this.closing;
  }

  private async inject(f: FaultSpec): Promise<void> {
    if (this.closing) return;
    const { at: _at, ...request } = f;
    try {
      await this.manager.inject(this.test.id, request, 'spec');
    } catch {
      // Reported as a `failed` event by the manager (source 'spec'); the run goes on.
    }
  }

  private note(e: FaultEvent): void {
    const f = e.fault;
    const s: FaultSummary = this.summary.get(f.id) ?? {
      id: f.id,
      type: f.type,
      pods: f.pods,
      startedAt: this.seconds(f.startedAt),
      endedAt: null,
      params: f.params,
    };
    s.pods = f.pods;
    if (e.kind !== 'started') {
      s.endedAt = this.seconds(f.endedAt ?? f.startedAt);
      s.endReason = f.endReason;
    }
    if (f.error) s.error = f.error;
    this.summary.set(f.id, s);
  }

  private seconds(at: string): number {
    if (this.loadStart === undefined) return 0;
    return Math.max(0, Math.round(Date.parse(at) - this.loadStart)) / 1000;
  }
}

/** Offset of the seed that chooses fault targets from the spec's seed (apart from the pods' and the policy's). */
const TARGET_SEED_OFFSET = 0x5eed;

/** The random source that chooses a seeded run's fault targets (the simulator draws the same). */
export function faultTargetRandom(seed: number): Random {
  return seededRandom(seed + TARGET_SEED_OFFSET);
}

/**
 * The RunFaults of a run whose target takes faults (the lab), else undefined. Without an
 * engine-wide manager (CLI runs, tests) the run gets its own.
 */
export function runFaultsFor(
  test: { id: string; spec: TestSpec },
  target: Target,
  manager: FaultManager | undefined,
  onEvent: (e: FaultEvent) => void,
): RunFaults | undefined {
  if (!target.chaos) return undefined;
  const seed = test.spec.seed;
  const random = seed === undefined ? mathRandom : faultTargetRandom(seed);
  return new RunFaults(manager ?? new FaultManager(), { id: test.id, name: test.spec.name }, target.chaos, test.spec.faults ?? [], onEvent, random);
}
