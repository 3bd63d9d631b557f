#!/usr/bin/env node
// Runs each workspace's jest with --json and prints one closing line "N passed, N failed".
// One root jest with `projects` cannot mix the engine (jest 30, ESM) and the plugin scaffold
// (jest 29, jsdom), and a custom reporter's line is not printed last, hence this script.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.test-results');
mkdirSync(outDir, { recursive: true });
const extra = process.argv.slice(2);

const hasTests = (w) => {
  const pkg = JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8'));
  return Boolean(pkg.scripts && pkg.scripts.test);
};
// The suites that drive whole lab scenarios (several worker threads each, timing-sensitive
// verdicts) run one at a time after the rest: on 2 cores, two of them side by side starve each
// other and measure the machine instead of the balancer. The observability stack test (a lab,
// Prometheus and Alertmanager, waiting for alerts) is one of them, and so are the scenario runs
// (a library scenario with a scale-up under keep-alive, judged by its share of requests).
const LIVE = '/test/((acceptance|chaos|tuning)/|observability/stack|scenarios/scenarios-run)';
const runs = [
  { name: 'engine', workspace: 'engine', args: ['--testPathIgnorePatterns', LIVE] },
  { name: 'engine-live', workspace: 'engine', args: ['--runInBand', '--testPathPatterns', LIVE, '--setupFilesAfterEnv', '<rootDir>/test/setup/live-retry.ts'] },
  { name: 'plugin', workspace: 'plugin', args: [] },
].filter((r) => hasTests(r.workspace));

let passed = 0;
let failed = 0;
let exit = 0;
for (const { name: w, workspace, args } of runs) {
  const out = join(outDir, `${w}.json`);
  rmSync(out, { force: true });
  const r = spawnSync('npm', ['test', '-w', workspace, '--', '--json', `--outputFile=${out}`, ...args, ...extra], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!existsSync(out)) {
    console.error(`${w}: jest wrote no result file (exit ${r.status})`);
    failed += 1;
    exit = 1;
    continue;
  }
  const res = JSON.parse(readFileSync(out, 'utf8'));
  passed += res.numPassedTests;
  // A suite that fails to load has no failed test but must still count as a failure.
  failed += res.numFailedTests + res.numRuntimeErrorTestSuites;
  if (r.status !== 0 || !res.success) exit = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(exit);
