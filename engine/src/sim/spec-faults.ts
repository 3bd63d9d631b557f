import type { FaultSpec } from '../chaos/fault-spec.js';
import { faultTargetRandom } from '../chaos/run-faults.js';
import type { ChaosPod } from '../chaos/fault.js';
import { definitionOf } from '../chaos/registry.js';
import { resolveTargets } from '../chaos/targets.js';
import { durationMs } from '../core/duration.js';
import { ValidationError } from '../core/errors.js';
import type { PodBehaviour } from '../spec/pod-behaviour.js';
import type { SimEvent } from './sim-plan.js';

/** A TestSpec's faults as the simulator plays them. */
export interface SimFaults {
  events: SimEvent[];
  /** Pods the run may have at once (initial + the largest scale-up). */
  maxPods: number;
  /** Faults the simulator does not model (it has no wire: latency, errors, resets, bandwidth), as "type at time". */
  skipped: string[];
}

/**
 * Turns the faults that change which pods serve (scale-up, scale-down, pod-failure, partition)
 * into simulator events, with targets resolved by the chaos code itself (the same seeded draw
 * for `count`/`percent`). How each maps, and what is approximate:
 * - scale-up: the pod count grows at `at` and shrinks back when the fault ends; the new pods
 *   copy pod-1, as the lab's do.
 * - scale-down: the pod count shrinks and grows back; the simulator drains the last pods, the
 *   lab removes the chosen ones (the same when pods are alike).
 * - pod-failure and partition: the pods fail at `at` and recover at its end (not with `kill`);
 *   a partition in either mode is a failure the balancer sees at once (no connect timeouts), and
 *   its pod comes back cold when the plan has a warm-up (a lab pod behind a partition stays warm).
 * - a fault whose targets cannot be resolved against the initial pods (one naming a pod an
 *   earlier scale-up added) is listed in `skipped` with the reason.
 * The rest act on requests on the wire and are listed in `skipped`, never silently dropped.
 */
export function simFaults(faults: readonly FaultSpec[], pods: readonly string[], behaviour: PodBehaviour, seed: number): SimFaults {
  const random = faultTargetRandom(seed);
  const chaosPods: ChaosPod[] = pods.map((name) => ({ name, up: true, weight: 1, behaviour }));
  /** Until when each failed pod is down, so later faults choose among pods that are up, as the lab's do. */
  const downUntil = new Map<string, number>();
  const deltas: Array<{ atMs: number; delta: number }> = [];
  const events: SimEvent[] = [];
  const skipped: string[] = [];
  for (const f of [...faults].sort((a, b) => durationMs(a.at) - durationMs(b.at))) {
    const at = durationMs(f.at);
    const end = at + durationMs(f.duration);
    const input = { pods: f.pods, count: f.count, percent: f.percent };
    for (const p of chaosPods) p.up = !((downUntil.get(p.name) ?? -1) > at);
    const resolve = () => {
      try {
        return resolveTargets(definitionOf(f.type), input, f.severity, chaosPods, random);
      } catch (e) {
        // e.g. a pod an earlier scale-up added: the simulator only resolves against the initial pods
        const why = e instanceof ValidationError ? (e.details ?? []).map((i) => i.message).join('; ') : e instanceof Error ? e.message : String(e);
        skipped.push(`${f.type} at ${f.at} (${why})`);
        return undefined;
      }
    };
    switch (f.type) {
      case 'scale-up':
      case 'scale-down': {
        const n = resolve()?.count;
        if (n === undefined) break;
        const sign = f.type === 'scale-up' ? 1 : -1;
        deltas.push({ atMs: at, delta: sign * n }, { atMs: end, delta: -sign * n });
        break;
      }
      case 'pod-failure':
      case 'partition': {
        const hit = resolve()?.pods;
        if (hit === undefined) break;
        const kill = f.type === 'pod-failure' && f.kill === true;
        events.push({ atMs: at, type: 'fail', pods: hit });
        if (!kill) events.push({ atMs: end, type: 'recover', pods: hit });
        for (const p of hit) downUntil.set(p, kill ? Infinity : end);
        break;
      }
      default:
        skipped.push(`${f.type} at ${f.at}`);
    }
  }
  // The running total stays unclamped so overlapping scale-downs undo exactly; the pods in
  // rotation never drop below one.
  let total = pods.length;
  let maxPods = total;
  for (const d of deltas.sort((a, b) => a.atMs - b.atMs)) {
    total += d.delta;
    const size = Math.max(1, total);
    maxPods = Math.max(maxPods, size);
    events.push({ atMs: d.atMs, type: 'scale', to: size });
  }
  // Stable sort: at one instant, failures and recoveries come before the scalings.
  events.sort((a, b) => a.atMs - b.atMs);
  return { events, maxPods, skipped };
}
