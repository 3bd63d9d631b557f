import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { durationMs } from '../core/duration.js';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';
import { mathRandom, type Random } from '../core/random.js';
import { testLabel } from '../metrics/test-label.js';
import type { ResultStore } from '../store/result-store.js';
import { parseWith } from '../spec/validate.js';
import type { ChaosLab, EndReason, Fault, FaultEvent, FaultGuard, FaultRecord } from './fault.js';
import { FaultRequestSchema, type FaultRequest, type FaultRequestInput } from './fault-spec.js';
import { reconcileFaults } from './reconcile.js';
import { definitionOf } from './registry.js';
import { resolveTargets } from './targets.js';

/** Where `scale_fault_active` goes (EngineMetrics is one). */
export interface FaultMetrics {
  setFault(test: string, type: string, pod: string, active: boolean): void;
}

/** Options of FaultManager; every one has a default. */
export interface FaultManagerOptions {
  /** Sets `scale_fault_active{test,type,pod}` as faults start and end. Default: none. */
  metrics?: FaultMetrics;
  /** Wall clock, epoch ms. Default Date.now. */
  now?: () => number;
  /** Ended faults kept for `list`. Default 200. */
  keepEnded?: number;
  /** Faults active at once across all tests. Default 100. */
  maxActive?: number;
}

/** A running test (lab or cluster) faults can be injected into. */
interface Session {
  id: string;
  label: string;
  lab: ChaosLab;
  random: Random;
  /** Applies in progress: a detach waits for them, then rolls them back too. */
  pending: Set<Promise<unknown>>;
  closing?: Promise<void>;
}

interface Active {
  record: FaultRecord;
  fault: Fault;
  session: Session;
  timer?: NodeJS.Timeout;
  ending?: Promise<FaultRecord>;
}

/**
 * The engine's faults: injects them into the labs of running tests, ends each one on its TTL,
 * and rolls back every fault of a test when the test stops or ends (`detach`) and all of them
 * on engine shutdown (`shutdown`); after a crash, `reconcile` ends what the store still shows
 * active. Emits `fault` (started / ended / failed, with what it did) and keeps
 * `scale_fault_active` in step. Methods reject with a ScaleError: `invalid_input` (every
 * problem listed, nothing changed), `not_found`, `conflict`, `limit_exceeded`.
 */
export class FaultManager extends EventEmitter<{ fault: [event: FaultEvent] }> {
  private readonly sessions = new Map<string, Session>();
  private readonly active = new Map<string, Active>();
  private ended: FaultRecord[] = [];
  private readonly now: () => number;

  constructor(private readonly options: FaultManagerOptions = {}) {
    super();
    this.now = options.now ?? Date.now;
  }

  /** Makes a running test's lab available for faults; `random` chooses pods for count/percent targets. */
  attach(test: { id: string; name: string }, lab: ChaosLab, random: Random = mathRandom): void {
    if (this.sessions.has(test.id)) throw new ScaleError('conflict', `test ${test.id} is already attached`);
    this.sessions.set(test.id, { id: test.id, label: testLabel(test.id, test.name), lab, random, pending: new Set() });
  }

  /** True while faults can be injected into the test. */
  attached(testId: string): boolean {
    const s = this.sessions.get(testId);
    return s !== undefined && !s.closing;
  }

  /**
   * Validates the fault against the test's lab, applies it and starts its TTL. Nothing is
   * changed when it is refused. A fault from a TestSpec (`source: 'spec'`) that cannot be
   * applied is also reported as a `failed` event, so the run's record shows it.
   */
  async inject(testId: string, input: FaultRequestInput, source: FaultRecord['source'] = 'api'): Promise<FaultRecord> {
    const session = this.sessions.get(testId);
    if (!session || session.closing) throw new ScaleError('not_found', `no running test ${testId}`);
    let entry: Active;
    let req: FaultRequest | undefined;
    try {
      req = parseWith(FaultRequestSchema, input);
      entry = this.prepare(session, req, source);
    } catch (err) {
      if (source === 'spec') this.failed(this.draft(session, req, source, input), err);
      throw err;
    }
    this.active.set(entry.record.id, entry); // reserved: a conflicting inject sees it from now on
    const applying = entry.fault.apply(session.lab);
    session.pending.add(applying);
    try {
      entry.record.pods = await applying;
    } catch (err) {
      this.active.delete(entry.record.id);
      this.failed(entry.record, err);
      throw err instanceof ScaleError ? err : new ScaleError('engine_error', `could not apply the fault: ${message(err)}`);
    } finally {
      session.pending.delete(applying);
    }
    const ttl = durationMs(req.duration);
    const r = entry.record;
    r.startedAt = iso(this.now());
    r.expiresAt = iso(this.now() + ttl);
    entry.timer = setTimeout(() => void this.end(entry, 'expired'), ttl);
    entry.timer.unref?.();
    for (const pod of r.pods) this.options.metrics?.setFault(session.label, r.type, pod, true);
    this.emit('fault', { kind: 'started', fault: { ...r } });
    return { ...r };
  }

  /** Active faults and recently ended ones, oldest first; filter by test and/or state. */
  list(filter: { testId?: string; state?: FaultRecord['state'] } = {}): FaultRecord[] {
    const applied = [...this.active.values()].map((a) => a.record).filter((r) => r.startedAt !== '');
    return [...this.ended, ...applied]
      .filter((r) => (filter.testId === undefined || r.testId === filter.testId) && (filter.state === undefined || r.state === filter.state))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map((r) => ({ ...r }));
  }

  /** Ends a fault now (rolled back); an already ended fault is returned as it is. */
  async remove(id: string): Promise<FaultRecord> {
    const a = this.active.get(id);
    if (a) {
      if (a.record.startedAt === '') throw new ScaleError('conflict', `fault ${id} is still being applied`);
      return this.end(a, 'removed');
    }
    const e = this.ended.find((r) => r.id === id);
    if (e) return { ...e };
    throw new ScaleError('not_found', `no fault ${id}`);
  }

  /** Rolls back every fault of a test and forgets its lab. Call before the lab closes. Idempotent. */
  detach(testId: string, reason: EndReason): Promise<void> {
    const s = this.sessions.get(testId);
    if (!s) return Promise.resolve();
    s.closing ??= (async () => {
      await Promise.allSettled([...s.pending]);
      const mine = [...this.active.values()].filter((a) => a.session === s);
      await Promise.all(mine.map((a) => this.end(a, reason)));
      this.sessions.delete(testId);
    })();
    return s.closing;
  }

  /** Engine shutdown: rolls back every fault of every test. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.detach(id, 'shutdown')));
  }

  /**
   * Engine start: ends the faults the store still shows active for `runIds` (the runs
   * `markInterrupted` returned). A lab dies with the process, so its faults are already gone
   * and are recorded as ended (`reconciled`); they are listed from then on.
   */
  reconcile(store: Pick<ResultStore, 'events' | 'appendEvent'>, runIds: readonly string[]): FaultRecord[] {
    const records = reconcileFaults(store, runIds, iso(this.now()));
    for (const r of records) this.remember(r);
    return records;
  }

  private prepare(session: Session, req: FaultRequest, source: FaultRecord['source']): Active {
    const def = definitionOf(req.type);
    const preset = def.presets[req.severity] as Record<string, unknown>;
    const params: Record<string, unknown> = { ...preset };
    for (const k of Object.keys(preset)) if ((req as Record<string, unknown>)[k] !== undefined) params[k] = (req as Record<string, unknown>)[k];
    const targets = resolveTargets(def, req, req.severity, session.lab.pods(), session.random);
    const guard = (session.lab as Partial<FaultGuard>).guard?.call(session.lab, req.type, targets.pods, targets.count) ?? [];
    if (guard.length > 0) throw new ValidationError(guard, `the fault is outside this engine's guard rails`);
    if ((session.lab as Partial<FaultGuard>).dryRun) params.dryRun = true;
    this.checkConflicts(session, req.type, targets.pods);
    const max = this.options.maxActive ?? 100;
    if (this.active.size >= max) throw new ScaleError('limit_exceeded', `${this.active.size} faults are active; this engine allows ${max}`);
    const record = { ...this.draft(session, req, source, req), pods: targets.pods, params };
    return { record, fault: def.create(targets.pods, params as never, targets.count), session };
  }

  /** One fault of a type per pod at a time: two would fight over the same state and rollback. */
  private checkConflicts(session: Session, type: string, pods: string[]): void {
    const issues: Issue[] = [];
    for (const a of this.active.values()) {
      if (a.session !== session || a.record.type !== type) continue;
      for (const p of pods) if (a.record.pods.includes(p)) issues.push({ path: 'pods', message: `${p} already has an active ${type} fault (${a.record.id})` });
    }
    if (issues.length > 0) throw new ScaleError('conflict', `the fault overlaps an active ${type} fault`, issues);
  }

  private draft(session: Session, req: FaultRequest | undefined, source: FaultRecord['source'], input: unknown): FaultRecord {
    const raw = (input ?? {}) as { type?: unknown; severity?: unknown };
    return {
      id: randomUUID(),
      testId: session.id,
      type: (req?.type ?? raw.type) as FaultRecord['type'],
      severity: (req?.severity ?? raw.severity ?? 'medium') as FaultRecord['severity'],
      pods: req?.pods ?? [],
      params: {},
      source,
      state: 'active',
      startedAt: '',
      expiresAt: '',
      endedAt: null,
    };
  }

  private failed(record: FaultRecord, err: unknown): void {
    const at = iso(this.now());
    Object.assign(record, { state: 'failed', startedAt: at, expiresAt: at, endedAt: at, endReason: 'failed', error: describe(err) });
    this.remember(record);
    this.emit('fault', { kind: 'failed', fault: { ...record } });
  }

  private end(a: Active, reason: EndReason): Promise<FaultRecord> {
    a.ending ??= (async () => {
      clearTimeout(a.timer);
      const r = a.record;
      // The end is when the rollback begins: [startedAt, endedAt] is when the fault was fully
      // in force (startedAt is when its apply finished).
      const endedAt = iso(this.now());
      try {
        await a.fault.rollback(a.session.lab);
      } catch (err) {
        r.error = `rollback: ${message(err)}`;
      }
      this.active.delete(r.id);
      Object.assign(r, { state: 'ended', endedAt, endReason: reason });
      for (const pod of r.pods) this.options.metrics?.setFault(a.session.label, r.type, pod, false);
      this.remember(r);
      this.emit('fault', { kind: 'ended', fault: { ...r } });
      return { ...r };
    })();
    return a.ending;
  }

  private remember(r: FaultRecord): void {
    this.ended.push(r);
    const keep = this.options.keepEnded ?? 200;
    if (this.ended.length > keep) this.ended = this.ended.slice(-keep);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A ValidationError's issues are the useful part of its message. */
function describe(err: unknown): string {
  if (err instanceof ValidationError) return err.details.map((i) => `${i.path}: ${i.message}`).join('; ');
  return message(err);
}
