import { safeText } from '../core/text.js';
import type { Alert, AlertEvent, AlertStatus, IncomingAlert, IngestSummary } from './alert.js';
import { labelsFingerprint } from './fingerprint.js';

/** Options of {@link AlertStore}; every one has a default. */
export interface AlertStoreOptions {
  /** Wall clock, epoch ms (alert times are wall times). Default `Date.now`. */
  now?: () => number;
  /** Alerts kept at most, firing and resolved together. Default 1000. */
  maxAlerts?: number;
  /**
   * Bytes of label and annotation text kept at most (UTF-16 code units, an estimate of memory).
   * Default 8 MiB: with the payload caps, a few hundred alerts of the largest size.
   */
  maxBytes?: number;
  /** How long a resolved alert stays listed after the engine learnt it resolved, ms. Default 1 hour. */
  resolvedRetentionMs?: number;
  /**
   * A firing alert not delivered again for this long is dropped, ms. Alertmanager repeats a
   * firing group every `repeat_interval` (4 h by default, 1 h in provisioning/alertmanager), so
   * only an alert whose sender went away gets this old. Default 12 hours.
   */
  staleAfterMs?: number;
}

/** Filter of {@link AlertStore.list}. */
export interface AlertFilter {
  status?: AlertStatus;
  /** Only alerts whose `test` label is this. */
  test?: string;
  /** Only alerts with this `alertname`. */
  name?: string;
}

interface Entry {
  alert: Alert;
  /** When the engine learnt of its last change (resolve time for resolved alerts), epoch ms. */
  changedAt: number;
  updatedAt: number;
  bytes: number;
}

const ZERO_TIME_YEAR = '0001-';

/** Epoch ms of an RFC 3339 time (offsets and sub-millisecond digits as Date.parse reads them). */
function ms(t: string): number {
  return Date.parse(t);
}

/** Labels and annotations are outside text: they reach terminals and pages without escapes or controls. */
function clean(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[safeText(k)] = safeText(v);
  return out;
}

function textBytes(a: Alert): number {
  let n = a.fingerprint.length + a.startsAt.length + (a.generatorURL?.length ?? 0);
  for (const m of [a.labels, a.annotations]) for (const [k, v] of Object.entries(m)) n += k.length + v.length;
  return n;
}

/**
 * The alerts Alertmanager delivered, in memory: the active ones and those resolved recently.
 * Pure (no I/O, no timers): time comes from the injected clock, and expiry happens whenever the
 * store is read or written. Bounded by count and by bytes; when full, the alerts resolved the
 * longest ago go first, then the firing alerts delivered the longest ago (Alertmanager repeats
 * those, so they come back). Subscribers hear of every change of state.
 */
export class AlertStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(e: AlertEvent) => void>();
  private readonly now: () => number;
  private readonly maxAlerts: number;
  private readonly maxBytes: number;
  private readonly resolvedRetentionMs: number;
  private readonly staleAfterMs: number;
  private bytes = 0;
  private evictedTotal = 0;

  constructor(o: AlertStoreOptions = {}) {
    this.now = o.now ?? Date.now;
    this.maxAlerts = o.maxAlerts ?? 1000;
    this.maxBytes = o.maxBytes ?? 8 * 1024 * 1024;
    this.resolvedRetentionMs = o.resolvedRetentionMs ?? 60 * 60_000;
    this.staleAfterMs = o.staleAfterMs ?? 12 * 60 * 60_000;
    for (const [name, v] of Object.entries({ maxAlerts: this.maxAlerts, maxBytes: this.maxBytes, resolvedRetentionMs: this.resolvedRetentionMs, staleAfterMs: this.staleAfterMs }))
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  }

  /** Calls `listener` on every change of state; returns the unsubscribe function. */
  subscribe(listener: (e: AlertEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Applies one delivery: new alerts, repeats, resolutions. */
  ingest(alerts: readonly IncomingAlert[]): IngestSummary {
    this.sweep();
    const summary: IngestSummary = { received: alerts.length, firing: 0, resolved: 0, ignored: 0, evicted: 0 };
    const events: AlertEvent[] = [];
    const now = this.now();
    for (const incoming of alerts) {
      const event = this.apply(incoming, now, summary);
      if (event) events.push(event);
    }
    summary.evicted = this.enforceBounds();
    // Listeners run after the store is consistent, so one that reads the store sees every change.
    for (const e of events) if (this.entries.get(e.alert.fingerprint)?.alert === e.alert) this.emit(e);
    return summary;
  }

  /** Alerts matching `filter`: firing ones first (newest start first), then resolved (newest end first). */
  list(filter: AlertFilter = {}): Alert[] {
    this.sweep();
    const out: Alert[] = [];
    for (const { alert } of this.entries.values()) {
      if (filter.status !== undefined && alert.status !== filter.status) continue;
      if (filter.test !== undefined && alert.labels.test !== filter.test) continue;
      if (filter.name !== undefined && alert.name !== filter.name) continue;
      out.push({ ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } });
    }
    const key = (a: Alert) => ms(a.status === 'firing' ? a.startsAt : (a.endsAt ?? a.updatedAt));
    return out.sort((a, b) => (a.status === b.status ? key(b) - key(a) : a.status === 'firing' ? -1 : 1));
  }

  /** The firing alerts. */
  active(): Alert[] {
    return this.list({ status: 'firing' });
  }

  /** Counts, and how many alerts were evicted to stay within bounds since the engine started. */
  stats(): { firing: number; resolved: number; evicted: number; bytes: number } {
    this.sweep();
    let firing = 0;
    for (const { alert } of this.entries.values()) if (alert.status === 'firing') firing++;
    return { firing, resolved: this.entries.size - firing, evicted: this.evictedTotal, bytes: this.bytes };
  }

  /** Drops resolved alerts past their retention and firing alerts nobody repeated for too long. */
  sweep(): void {
    const now = this.now();
    for (const [fp, e] of this.entries) {
      const age = now - (e.alert.status === 'resolved' ? e.changedAt : e.updatedAt);
      if (age >= (e.alert.status === 'resolved' ? this.resolvedRetentionMs : this.staleAfterMs)) this.remove(fp);
    }
  }

  private apply(incoming: IncomingAlert, now: number, summary: IngestSummary): AlertEvent | undefined {
    const labels = clean(incoming.labels);
    const fingerprint = incoming.fingerprint ?? labelsFingerprint(incoming.labels);
    const existing = this.entries.get(fingerprint);
    const at = new Date(now).toISOString();
    const resolved = incoming.status === 'resolved';
    // Late deliveries (retries): a notice of an older episode, or a firing notice of an episode
    // the engine already saw resolve, would undo what it knows.
    const older = existing !== undefined && ms(incoming.startsAt) < ms(existing.alert.startsAt);
    const refiring = existing?.alert.status === 'resolved' && !resolved && ms(incoming.startsAt) === ms(existing.alert.startsAt);
    if (older || refiring) {
      summary.ignored++;
      return undefined;
    }
    const sameEpisode = existing !== undefined && ms(existing.alert.startsAt) === ms(incoming.startsAt);
    const alert: Alert = {
      fingerprint,
      name: labels.alertname ?? '',
      status: incoming.status,
      labels,
      annotations: clean(incoming.annotations),
      startsAt: incoming.startsAt,
      ...(resolved ? { endsAt: incoming.endsAt.startsWith(ZERO_TIME_YEAR) ? at : incoming.endsAt } : {}),
      ...(incoming.generatorURL ? { generatorURL: incoming.generatorURL } : {}),
      receivedAt: sameEpisode ? existing.alert.receivedAt : at,
      updatedAt: at,
    };
    const changed = existing === undefined || existing.alert.status !== alert.status || !sameEpisode;
    if (existing) this.remove(fingerprint);
    const entry: Entry = { alert, changedAt: changed ? now : existing.changedAt, updatedAt: now, bytes: textBytes(alert) };
    this.entries.set(fingerprint, entry);
    this.bytes += entry.bytes;
    if (!changed) return undefined;
    if (resolved) {
      // A resolve of an alert the engine never saw fire still gets listed (it did happen), but
      // only a known firing alert that ends is a change worth announcing.
      if (existing === undefined || existing.alert.status === 'resolved') return undefined;
      summary.resolved++;
      return { kind: 'resolved', alert };
    }
    summary.firing++;
    return { kind: 'firing', alert };
  }

  /**
   * Evicts until within bounds: resolved alerts in the order they resolved, then firing alerts
   * in the order they were last delivered. One sort per delivery, however many go.
   */
  private enforceBounds(): number {
    if (this.entries.size <= this.maxAlerts && this.bytes <= this.maxBytes) return 0;
    const rank = (e: Entry) => (e.alert.status === 'resolved' ? e.changedAt : e.updatedAt);
    const order = [...this.entries].sort(([, a], [, b]) => (a.alert.status === b.alert.status ? rank(a) - rank(b) : a.alert.status === 'resolved' ? -1 : 1));
    let evicted = 0;
    for (const [fp] of order) {
      if (this.entries.size <= this.maxAlerts && this.bytes <= this.maxBytes) break;
      this.remove(fp);
      evicted++;
    }
    this.evictedTotal += evicted;
    return evicted;
  }

  private remove(fingerprint: string): void {
    const e = this.entries.get(fingerprint);
    if (!e) return;
    this.bytes -= e.bytes;
    this.entries.delete(fingerprint);
  }

  private emit(e: AlertEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}
