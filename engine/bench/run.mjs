#!/usr/bin/env node
/**
 * `npm run bench -- <name> [options]`: runs one benchmark script of this folder. Benchmarks are
 * not tests: each prints a table of medians and ratios against a peer measured in the same run.
 *
 *   loadgen   our load generator vs autocannon vs wrk, same target, same connections
 *   proxy     the lab's balancing proxy vs nginx (1 worker), round-robin over 4 pods
 *   api       the cost of GET /metrics and of the 1 s tick with 10 tests x 100 pods
 *   sim       simulated requests per second per policy vs a bare event loop (100 pods, load 0.9)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = { loadgen: 'loadgen.mjs', proxy: 'proxy.mjs', api: 'api-metrics.mjs', sim: 'sim.mjs' };
const [name, ...rest] = process.argv.slice(2);
const file = BENCHES[name];
if (!file || !existsSync(fileURLToPath(new URL(file, import.meta.url)))) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exit(2);
}
// tsx lets the scripts import the TypeScript sources directly (no build step needed).
const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
