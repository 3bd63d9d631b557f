import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { PodResult, Result, ResultSummary, TimelinePoint } from '../api/types';

/** Pure conversions from engine answers to data frames (times in ms since the epoch, latencies in seconds). */

export function runsFrame(items: ResultSummary[], refId?: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'runs',
    fields: [
      { name: 'started', type: FieldType.time, values: items.map((r) => Date.parse(r.startedAt)) },
      { name: 'id', type: FieldType.string, values: items.map((r) => r.id) },
      { name: 'name', type: FieldType.string, values: items.map((r) => r.name) },
      { name: 'status', type: FieldType.string, values: items.map((r) => r.status) },
      { name: 'verdict', type: FieldType.string, values: items.map((r) => r.verdict) },
      { name: 'score', type: FieldType.number, values: items.map((r) => r.score) },
      { name: 'requests', type: FieldType.number, values: items.map((r) => r.requests) },
      { name: 'rps', type: FieldType.number, values: items.map((r) => r.rps), config: { unit: 'reqps' } },
      { name: 'errors', type: FieldType.number, values: items.map((r) => r.errors) },
      { name: 'policy', type: FieldType.string, values: items.map((r) => r.policy ?? r.targetKind) },
      // "pass", "fail: p99, errorRate", or empty while a run has no outcome yet.
      { name: 'thresholds', type: FieldType.string, values: items.map((r) => thresholdsText(r.thresholds)) },
    ],
  });
}

function thresholdsText(t: ResultSummary['thresholds']): string {
  if (!t) {
    return '';
  }
  const failed = t.filter((x) => !x.pass).map((x) => x.name);
  return failed.length ? `fail: ${failed.join(', ')}` : 'pass';
}

export function podsFrame(pods: PodResult[], refId?: string, name = 'pods'): DataFrame {
  return createDataFrame({
    refId,
    name,
    fields: [
      { name: 'pod', type: FieldType.string, values: pods.map((p) => p.name) },
      { name: 'requests', type: FieldType.number, values: pods.map((p) => p.requests) },
      { name: 'share', type: FieldType.number, values: pods.map((p) => p.share), config: { unit: 'percentunit' } },
      {
        name: 'expected share',
        type: FieldType.number,
        values: pods.map((p) => p.expectedShare),
        config: { unit: 'percentunit' },
      },
      { name: 'errors', type: FieldType.number, values: pods.map((p) => p.errors) },
      { name: 'p50', type: FieldType.number, values: pods.map((p) => p.latency.p50), config: { unit: 's' } },
      { name: 'p99', type: FieldType.number, values: pods.map((p) => p.latency.p99), config: { unit: 's' } },
    ],
  });
}

/** The timeline of a run on the wall clock: window ends placed after the run's start. */
export function timelineFrame(
  startedAt: string,
  timeline: TimelinePoint[],
  refId?: string,
  balanceOnly = false
): DataFrame {
  const t0 = Date.parse(startedAt);
  const time = { name: 'time', type: FieldType.time, values: timeline.map((p) => t0 + p.t * 1000) };
  const score = {
    name: 'score',
    type: FieldType.number,
    values: timeline.map((p) => p.score),
    config: { min: 0, max: 1 },
  };
  const utilisation = {
    name: 'utilisation balance',
    type: FieldType.number,
    values: timeline.map((p) => p.utilisation),
    config: { min: 0, max: 1 },
  };
  if (balanceOnly) {
    return createDataFrame({ refId, name: 'balance', fields: [time, score, utilisation] });
  }
  return createDataFrame({
    refId,
    name: 'timeline',
    fields: [
      time,
      { name: 'rps', type: FieldType.number, values: timeline.map((p) => p.rps), config: { unit: 'reqps' } },
      { name: 'errors', type: FieldType.number, values: timeline.map((p) => p.errors) },
      { name: 'p50', type: FieldType.number, values: timeline.map((p) => p.latency.p50), config: { unit: 's' } },
      { name: 'p99', type: FieldType.number, values: timeline.map((p) => p.latency.p99), config: { unit: 's' } },
      score,
      utilisation,
    ],
  });
}

/** Fault and tuning annotations of a run (fault times are seconds from the load start). */
export function faultAnnotations(r: Result): DataFrame {
  const t0 = Date.parse(r.startedAt);
  const faults = r.faults ?? [];
  return createDataFrame({
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: faults.map((f) => t0 + f.startedAt * 1000) },
      { name: 'timeEnd', type: FieldType.time, values: faults.map((f) => t0 + (f.endedAt ?? r.duration) * 1000) },
      { name: 'title', type: FieldType.string, values: faults.map((f) => `fault: ${f.type}`) },
      {
        name: 'text',
        type: FieldType.string,
        values: faults.map((f) => `${f.type} on ${f.pods.join(', ')}${f.endReason ? ` (${f.endReason})` : ''}`),
      },
      { name: 'tags', type: FieldType.other, values: faults.map((f) => ['scale', 'fault', f.type]) },
    ],
  });
}
