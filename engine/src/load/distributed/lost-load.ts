import type { LostLoad } from '../load-report.js';
import { scheduleOf, shareOf, type LoadModel } from '../schedule.js';
import type { LostWorker } from './remote-fleet.js';

/**
 * How much load the lost workers took with them (pure): in the open model, the arrivals of each
 * one's share of the schedule that its windows never accounted for (its share from the
 * schedule, less the requests it reported: a worker behind schedule loses its backlog too); in
 * the closed model, its users, and as a share the user-time they would still have run after its
 * last reported window.
 */
export function lostLoad(model: LoadModel, workers: number, lost: readonly LostWorker[]): LostLoad {
  const whole = scheduleOf(model);
  const out: LostLoad = { workers: lost.map((l) => ({ ...l })), share: 0 };
  if (model.model === 'open') {
    let requests = 0;
    for (const l of lost) {
      const share = shareOf(whole, l.index, workers);
      requests += Math.max(0, share.count - l.reportedRequests);
    }
    out.requests = requests;
    out.share = whole.count > 0 ? requests / whole.count : 0;
    return out;
  }
  let users = 0;
  let userTime = 0;
  for (const l of lost) {
    const n = shareOf(whole, l.index, workers).count;
    users += n;
    userTime += n * Math.max(0, model.durationMs - l.reportedMs);
  }
  out.users = users;
  out.share = model.users > 0 && model.durationMs > 0 ? userTime / (model.users * model.durationMs) : 0;
  return out;
}
