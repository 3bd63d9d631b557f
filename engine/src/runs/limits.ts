import { durationMs } from '../core/duration.js';
import type { Issue } from '../core/errors.js';
import type { TestSpec } from '../spec/test-spec.js';

/** Per-test caps set by the operator (env), on top of the schema's hard limits. */
export interface RunLimits {
  maxUsers: number;
  maxRate: number;
  maxDurationMs: number;
  maxPods: number;
}

/** Every way `spec` exceeds the caps, each with its path. Pure. */
export function limitIssues(spec: TestSpec, limits: RunLimits): Issue[] {
  const issues: Issue[] = [];
  const l = spec.load;
  if (l.model === 'closed') {
    if (l.users > limits.maxUsers) issues.push({ path: 'load.users', message: `${l.users} users exceeds this engine's limit of ${limits.maxUsers}` });
    if (durationMs(l.duration) > limits.maxDurationMs)
      issues.push({ path: 'load.duration', message: `${l.duration} exceeds this engine's limit of ${limits.maxDurationMs / 1000}s` });
  } else {
    l.stages.forEach((s, i) => {
      if (s.rate > limits.maxRate) issues.push({ path: `load.stages.${i}.rate`, message: `${s.rate}/s exceeds this engine's limit of ${limits.maxRate}/s` });
    });
    const total = l.stages.reduce((a, s) => a + durationMs(s.duration), 0);
    if (total > limits.maxDurationMs)
      issues.push({ path: 'load.stages', message: `total ${total / 1000}s exceeds this engine's limit of ${limits.maxDurationMs / 1000}s` });
  }
  if (spec.target.kind === 'lab' && spec.target.pods > limits.maxPods)
    issues.push({ path: 'target.pods', message: `${spec.target.pods} pods exceeds this engine's limit of ${limits.maxPods}` });
  return issues;
}
