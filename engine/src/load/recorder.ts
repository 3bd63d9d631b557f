import type { ErrorKind } from './error-kind.js';
import { BUCKET_SLOTS, bucketSlot } from '../core/latency-buckets.js';
import { addHistogram, decodeHistogram, encodeHistogram, newHistogram, summarize, type Histogram } from './histogram.js';
import type { ErrorCounts, LoadReport, LoadTick, PodCounts, WindowLatency } from './load-report.js';

/**
 * The one place where counts and latency histograms are accumulated, windowed, encoded and
 * merged. A Recorder lives in each runner thread and is fed by the hot path; every second the
 * runner takes its window (a WindowCounts); windows from several workers are merged exactly
 * (counts add, histograms add bucket by bucket); a Totals turns the merged windows into LoadTicks
 * and the final LoadReport. So one thread and N workers produce the same shapes by the same code.
 */

/** One pod's share of a window. Latencies in microseconds. */
export interface PodWindow {
  requests: number;
  errors: number;
  latency: Histogram;
  /** The same latencies in the Prometheus buckets (core/latency-buckets.ts), and their sum in µs. */
  buckets: Float64Array;
  sumUs: number;
}

/**
 * Everything one runner saw in one window: mergeable, and convertible to a LoadTick. The
 * counters mean what the LoadTick's fields of the same names mean; pods keep their histograms.
 */
export interface WindowCounts
  extends Pick<LoadTick, 'second' | 'elapsedMs' | 'requests' | 'scheduled' | 'inflight' | 'users' | 'errors' | 'statusCodes'> {
  dropped: number;
  pods: Record<string, PodWindow>;
}

/** WindowCounts with histograms in their compressed text form, for postMessage. */
export interface EncodedWindow extends Omit<WindowCounts, 'pods'> {
  pods: Record<string, Omit<PodWindow, 'latency'> & { latency: string }>;
}

/** The window fields the runner supplies when it closes a window (the rest is recorded). */
export type WindowMeta = Pick<WindowCounts, 'second' | 'elapsedMs' | 'scheduled' | 'inflight' | 'users'>;

/** Status codes are small integers: a flat array is cheaper than a map on the hot path. */
const STATUS_SLOTS = 1000;

/** ErrorCounts with every kind at 0. */
export function zeroErrors(): ErrorCounts {
  return { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 };
}

/** Per-thread accumulator fed by the hot path. Not thread-safe; one per runner. */
export class Recorder {
  private pods = new Map<string, PodWindow>();
  private errors = zeroErrors();
  private readonly codes = new Uint32Array(STATUS_SLOTS);
  private requests = 0;
  private dropped = 0;

  /** A response arrived: counted for its pod, its status, and (>= 400) as a status error. */
  response(pod: string, status: number, latencyUs: number): void {
    const p = this.pod(pod);
    p.requests++;
    p.latency.recordValue(latencyUs);
    p.buckets[bucketSlot(latencyUs)]++;
    p.sumUs += latencyUs;
    this.requests++;
    this.codes[status < STATUS_SLOTS ? status : 0]++;
    if (status >= 400) {
      p.errors++;
      this.errors.status++;
    }
  }

  /** A request failed without a complete response. */
  failure(kind: ErrorKind, pod: string): void {
    const p = this.pod(pod);
    p.requests++;
    p.errors++;
    this.requests++;
    this.errors[kind]++;
  }

  /** The open schedule wanted a request but maxInflight was reached. */
  drop(): void {
    this.dropped++;
  }

  /** Closes the current window: returns what it holds and starts an empty one. */
  takeWindow(meta: WindowMeta): WindowCounts {
    const statusCodes: Record<string, number> = {};
    for (let s = 0; s < STATUS_SLOTS; s++) {
      if (this.codes[s] > 0) statusCodes[s] = this.codes[s];
    }
    this.codes.fill(0);
    const w: WindowCounts = {
      ...meta,
      requests: this.requests,
      dropped: this.dropped,
      errors: this.errors,
      statusCodes,
      pods: Object.fromEntries(this.pods),
    };
    this.pods = new Map();
    this.errors = zeroErrors();
    this.requests = 0;
    this.dropped = 0;
    return w;
  }

  private pod(name: string): PodWindow {
    let p = this.pods.get(name);
    if (p === undefined) {
      p = emptyPod();
      this.pods.set(name, p);
    }
    return p;
  }
}

/** The window in postMessage form (histograms as compressed text). */
export function encodeWindow(w: WindowCounts): EncodedWindow {
  const pods: EncodedWindow['pods'] = {};
  for (const [name, p] of Object.entries(w.pods)) {
    pods[name] = { ...p, latency: encodeHistogram(p.latency) };
  }
  return { ...w, pods };
}

/** Inverse of encodeWindow: the same counts and the same histogram buckets. */
export function decodeWindow(e: EncodedWindow): WindowCounts {
  const pods: WindowCounts['pods'] = {};
  for (const [name, p] of Object.entries(e.pods)) {
    pods[name] = { ...p, latency: decodeHistogram(p.latency) };
  }
  return { ...e, pods };
}

/** An empty window, to merge partial windows of the same second into. */
export function emptyWindow(second: number): WindowCounts {
  return {
    second,
    elapsedMs: 0,
    requests: 0,
    scheduled: 0,
    dropped: 0,
    inflight: 0,
    users: 0,
    errors: zeroErrors(),
    statusCodes: {},
    pods: {},
  };
}

/**
 * Appends `later` (the same runner's next window) to `into`: counts add up, the end and the
 * end-of-window state (in flight, users) are the later window's. For a tail that is merged
 * into the window before it.
 */
export function appendWindow(into: WindowCounts, later: WindowCounts): void {
  mergeWindow(into, later);
  into.elapsedMs = later.elapsedMs;
  into.inflight = later.inflight;
  into.users = later.users;
}

/** Adds `from` (same second, another worker) into `into`: exact, histograms bucket by bucket. */
export function mergeWindow(into: WindowCounts, from: WindowCounts): void {
  // Workers' last windows are partial and may end at slightly different times: keep the latest.
  into.elapsedMs = Math.max(into.elapsedMs, from.elapsedMs);
  into.requests += from.requests;
  into.scheduled += from.scheduled;
  into.dropped += from.dropped;
  into.inflight += from.inflight;
  into.users += from.users;
  addErrors(into.errors, from.errors);
  addCodes(into.statusCodes, from.statusCodes);
  for (const [name, p] of Object.entries(from.pods)) addPod((into.pods[name] ??= emptyPod()), p);
}

function emptyPod(): PodWindow {
  return { requests: 0, errors: 0, latency: newHistogram(), buckets: new Float64Array(BUCKET_SLOTS), sumUs: 0 };
}

/** Adds one pod's window into another: counts, histogram and buckets. */
function addPod(into: PodWindow, from: PodWindow): void {
  into.requests += from.requests;
  into.errors += from.errors;
  addHistogram(into.latency, from.latency);
  for (let i = 0; i < BUCKET_SLOTS; i++) into.buckets[i] += from.buckets[i];
  into.sumUs += from.sumUs;
}

/** A merged window's latency per pod in the Prometheus buckets, sums in seconds. */
export function windowLatency(w: WindowCounts): WindowLatency {
  const out: WindowLatency = {};
  for (const [name, p] of Object.entries(w.pods)) out[name] = { counts: p.buckets, sum: p.sumUs / 1e6 };
  return out;
}

/**
 * Run-wide accumulator: turns each merged window into a LoadTick (in order) and keeps the
 * cumulative counts and histograms for the LoadReport.
 */
export class Totals {
  private readonly pods = new Map<string, PodWindow>();
  private readonly all = newHistogram();
  private readonly errors = zeroErrors();
  private readonly statusCodes: Record<string, number> = {};
  private readonly timeline: LoadTick[] = [];
  private requests = 0;
  private dropped = 0;

  /** Adds one merged window to the totals and returns its tick. */
  add(w: WindowCounts): LoadTick {
    const windowAll = newHistogram();
    const pods: Record<string, PodCounts> = {};
    for (const [name, p] of Object.entries(w.pods)) {
      addHistogram(windowAll, p.latency);
      pods[name] = { requests: p.requests, errors: p.errors, latency: summarize(p.latency) };
      let cum = this.pods.get(name);
      if (cum === undefined) this.pods.set(name, (cum = emptyPod()));
      addPod(cum, p);
    }
    addHistogram(this.all, windowAll);
    addErrors(this.errors, w.errors);
    addCodes(this.statusCodes, w.statusCodes);
    this.requests += w.requests;
    this.dropped += w.dropped;
    const tick: LoadTick = {
      second: w.second,
      elapsedMs: w.elapsedMs,
      requests: w.requests,
      errors: { ...w.errors },
      scheduled: w.scheduled,
      inflight: w.inflight,
      users: w.users,
      latency: summarize(windowAll),
      pods,
      statusCodes: { ...w.statusCodes },
      dropped: w.dropped,
    };
    this.timeline.push(tick);
    return tick;
  }

  /** The final report; `meta` carries what only the run knows (times, workers, stop flag). */
  report(meta: Pick<LoadReport, 'startedAt' | 'endedAt' | 'durationMs' | 'stoppedEarly' | 'workers'>): LoadReport {
    const pods: Record<string, PodCounts> = {};
    for (const [name, p] of this.pods) {
      pods[name] = { requests: p.requests, errors: p.errors, latency: summarize(p.latency) };
    }
    return {
      ...meta,
      requests: this.requests,
      errors: { ...this.errors },
      statusCodes: { ...this.statusCodes },
      latency: summarize(this.all),
      pods,
      timeline: this.timeline,
      dropped: this.dropped,
    };
  }
}

function addErrors(into: ErrorCounts, from: ErrorCounts): void {
  into.connect += from.connect;
  into.timeout += from.timeout;
  into.status += from.status;
  into.reset += from.reset;
  into.other += from.other;
}

function addCodes(into: Record<string, number>, from: Record<string, number>): void {
  for (const [code, n] of Object.entries(from)) into[code] = (into[code] ?? 0) + n;
}
