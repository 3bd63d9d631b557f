import { EventEmitter } from 'node:events';
import { ScaleError } from '../core/errors.js';
import { statusOf } from './kube-errors.js';

/** An object as a list or watch carries it. */
export interface Listed {
  metadata?: { name?: string; resourceVersion?: string };
}

/** How a WatchedList reads its collection. */
export interface ListSource<T extends Listed> {
  list(): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  /** Starts a watch from `resourceVersion`; resolves with its abort handle. */
  watch(resourceVersion: string | undefined, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void): Promise<AbortController>;
}

export interface WatchedListEvents<T> {
  /** The collection changed (after the initial list, after each event, after a re-list). */
  change: [items: ReadonlyMap<string, T>];
  /** A watch failed and will be retried; the items keep their last known state meanwhile (not `error`: nobody has to listen). */
  interrupted: [err: ScaleError];
}

/**
 * A collection kept current by list-then-watch, as client-go's reflector does: list once,
 * watch from the list's resourceVersion, apply ADDED / MODIFIED / DELETED, keep the version of
 * every event and bookmark. When the server ends the stream (its timeout, or a dropped
 * connection) the watch resumes from the last version; when the version is too old (410 Gone,
 * as an ERROR event or a status) it lists afresh. Failed attempts are retried with a backoff.
 */
export class WatchedList<T extends Listed> extends EventEmitter<WatchedListEvents<T>> {
  private readonly map = new Map<string, T>();
  private version: string | undefined;
  private abort: AbortController | undefined;
  private closed = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** Watches started (the first one included): tests and diagnostics read it. */
  watches = 0;
  /** Fresh lists after the first (410 Gone). */
  relists = 0;

  constructor(
    private readonly source: ListSource<T>,
    private readonly options: { minRetryMs?: number; maxRetryMs?: number } = {},
  ) {
    super();
    this.retryMs = options.minRetryMs ?? 200;
  }

  get items(): ReadonlyMap<string, T> {
    return this.map;
  }

  /** The first list, then the watch; rejects (ScaleError) when the list fails, so a caller can refuse to start. */
  async start(): Promise<void> {
    await this.relist();
    await this.rewatch();
  }

  /** Stops watching; the items stay as they were. Idempotent. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async relist(): Promise<void> {
    const l = await this.source.list();
    this.map.clear();
    for (const item of l.items) if (item.metadata?.name) this.map.set(item.metadata.name, item);
    this.version = l.metadata?.resourceVersion;
    this.emit('change', this.map);
  }

  private async rewatch(): Promise<void> {
    if (this.closed) return;
    this.watches++;
    this.abort = await this.source.watch(this.version, (type, object) => this.onEvent(type, object), (err) => this.onDone(err));
    if (this.closed) this.abort.abort();
  }

  private onEvent(type: string, object: unknown): void {
    if (this.closed) return;
    const o = object as T & { code?: number; kind?: string };
    if (type === 'ERROR') {
      // The watch cannot go on from this version (410 Gone): list afresh.
      this.version = o.code === 410 ? undefined : this.version;
      this.abort?.abort();
      return;
    }
    const rv = o?.metadata?.resourceVersion;
    if (rv) this.version = rv;
    if (type === 'BOOKMARK') return;
    const name = o?.metadata?.name;
    if (!name) return;
    if (type === 'DELETED') this.map.delete(name);
    else if (type === 'ADDED' || type === 'MODIFIED') this.map.set(name, o);
    else return;
    this.retryMs = this.options.minRetryMs ?? 200;
    this.emit('change', this.map);
  }

  private onDone(err: unknown): void {
    if (this.closed) return;
    const gone = statusOf(err) === 410 || this.version === undefined;
    if (err && !gone) this.emit('interrupted', err instanceof ScaleError ? err : new ScaleError('upstream_error', String(err)));
    // A stream the server ended cleanly resumes at once; a failure waits (backoff, capped).
    const delay = err ? this.retryMs : 0;
    if (err) this.retryMs = Math.min(this.options.maxRetryMs ?? 5_000, this.retryMs * 2);
    this.timer = setTimeout(() => {
      if (this.closed) return;
      const next = gone ? (this.relists++, this.relist()).then(() => this.rewatch()) : this.rewatch();
      next.catch((e: unknown) => this.onDone(e ?? new Error('watch failed')));
    }, delay);
    this.timer.unref?.();
  }
}
