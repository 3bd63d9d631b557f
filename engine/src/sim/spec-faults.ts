import type { FaultSpec } from '../chaos/fault-spec.js';
import type { ChaosPod } from '../chaos/fault.js';
import { definitionOf } from '../chaos/registry.js';
import { resolveTargets } from '../chaos/targets.js';
import { durationMs } from '../core/duration.js';
import { seededRandom } from '../core/random.js';
import type { PodBehaviour } from '../lab/behaviour.js';
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
 *   a partition in either mode is a failure the balancer sees at once (no connect timeouts).
 * The rest act on requests on the wire and are listed in `skipped`, never silently dropped.
 */
export function simFaults(faults: readonly FaultSpec[], pods: readonly string[], behaviour: PodBehaviour, seed: number): SimFaults {
  const random = seededRandom(seed);
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
    switch (f.type) {
      case 'scale-up':
      case 'scale-down': {
        const n = resolveTargets(definitionOf(f.type), input, f.severity, chaosPods, random).count;
        const sign = f.type === 'scale-up' ? 1 : -1;
        deltas.push({ atMs: at, delta: sign * n }, { atMs: end, delta: -sign * n });
        break;
      }
      case 'pod-failure':
      case 'partition': {
        const hit = resolveTargets(definitionOf(f.type), input, f.severity, chaosPods, random).pods;
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
  let size = pods.length;
  let maxPods = size;
  for (const d of deltas.sort((a, b) => a.atMs - b.atMs)) {
    size = Math.max(1, size + d.delta);
    maxPods = Math.max(maxPods, size);
    events.push({ atMs: d.atMs, type: 'scale', to: size });
  }
  // Stable: at one instant, recoveries and scalings apply in the order the faults were written.
  events.sort((a, b) => a.atMs - b.atMs);
  return { events, maxPods, skipped };
}
