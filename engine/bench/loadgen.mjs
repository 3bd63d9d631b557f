/**
 * Load-generator throughput bench (not a test): our generator (closed model, flat out) with
 * 1 and 2 worker threads against autocannon and wrk, same target, same 64 connections,
 * interleaved rounds, median req/s per tool.
 *
 *   node --import tsx engine/bench/loadgen.mjs [--rounds 3] [--seconds 5] [--connections 64]
 *
 * The target is one lab pod (fixed:0ms) in a worker thread of this process, which otherwise
 * only orchestrates: every load tool runs in its own process (ours as a child of this script),
 * so no tool shares an event loop with the target or with the orchestration.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    child: { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);

if (args.child) await child(JSON.parse(args.child));
else await main();

/** Child mode: one run of our generator; prints { rps } as JSON. */
async function child({ url, workers }) {
  const { startLoad } = await import('../src/load/load-run.ts');
  const cpu0 = process.cpuUsage();
  const run = startLoad({
    url,
    keepAlive: true,
    maxConnections: connections,
    workers,
    timeoutMs: 5000,
    // Flat out: every user sends its next request as soon as the last one is answered.
    model: { model: 'closed', users: connections, spawnRate: 1e9, durationMs: seconds * 1000 },
  });
  const r = await run.done;
  const inWindow = r.timeline.filter((t) => t.second <= seconds).reduce((a, t) => a + t.requests, 0);
  // CPU of the whole process (every thread) from the load's start: startup (tsx) left out.
  const cpu = process.cpuUsage(cpu0);
  const loadCpuUsPerReq = (cpu.user + cpu.system) / Math.max(1, r.requests);
  process.stdout.write(JSON.stringify({ rps: inWindow / seconds, errors: r.errors, requests: r.requests, loadCpuUsPerReq }) + '\n');
}

async function main() {
  const { PodClient } = await import('../src/lab/pod-client.ts');
  const { DEFAULT_POD_BEHAVIOUR } = await import('../src/spec/pod-behaviour.ts');
  const pod = await PodClient.start(
    'pod-1',
    { ...DEFAULT_POD_BEHAVIOUR, latency: { kind: 'fixed', ms: 0 }, concurrency: 1_000_000 },
    1,
  );
  const url = pod.url;
  const tools = {
    'ours w=1': () => ours(url, 1),
    'ours w=2': () => ours(url, 2),
    autocannon: () => autocannon(url),
    wrk: () => wrk(url),
  };
  if (!existsSync('/usr/bin/wrk')) delete tools.wrk;
  const results = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
  try {
    await ours(url, 1); // warm the target (JIT, first connections); not counted
    for (let round = 1; round <= Number(args.rounds); round++) {
      // Alternate the order so that a drift in machine load does not favour one tool.
      const order = Object.entries(tools);
      if (round % 2 === 0) order.reverse();
      for (const [name, fn] of order) {
        const r = await fn();
        results[name].push(r);
        console.log(`round ${round} ${name.padEnd(11)} ${Math.round(r.rps)} req/s  ${r.cpuUsPerReq.toFixed(1)} CPU µs/req ${r.note ?? ''}`);
      }
    }
  } finally {
    await pod.close();
  }
  const rps = (name) => results[name].map((r) => r.rps);
  // Ratios per round (same minute, same machine load), then their median: steadier than a
  // ratio of medians when other work shares the two cores.
  const ratio = (name, ref) => (results[ref] ? median(rps(name).map((v, i) => v / rps(ref)[i])) : NaN);
  const fmt = (x) => (Number.isNaN(x) ? '-' : x.toFixed(2) + 'x');
  console.log(`\n${seconds} s each, ${connections} connections, ${args.rounds} rounds, target: one lab pod (fixed:0ms)`);
  console.log('tool        median req/s   vs autocannon   vs wrk   CPU µs/req (whole process, startup included)');
  for (const name of Object.keys(results)) {
    const cpu = median(results[name].map((r) => r.cpuUsPerReq));
    console.log(
      `${name.padEnd(11)} ${String(Math.round(median(rps(name)))).padStart(12)}   ${fmt(ratio(name, 'autocannon')).padStart(13)}   ${fmt(ratio(name, 'wrk')).padStart(6)}   ${cpu.toFixed(1).padStart(10)}`,
    );
  }
  console.log('(ratios: median of per-round ratios)');
  const best = median(rps('ours w=1')) >= median(rps('ours w=2')) ? 1 : 2;
  console.log(`fastest worker count: ${best}`);
}

/** One measured run: throughput in the load window, and the tool's CPU time per request. */
function measured(rps, requests, cpuS) {
  return { rps, cpuUsPerReq: (cpuS * 1e6) / Math.max(1, requests) };
}

async function ours(url, workers) {
  const spec = JSON.stringify({ url, workers });
  const { out, cpuS } = await run(process.execPath, ['--import', 'tsx', self, '--child', spec, '--seconds', String(seconds), '--connections', String(connections)]);
  const j = lastJson(out);
  return { ...measured(j.rps, j.requests, cpuS), note: `(${j.loadCpuUsPerReq.toFixed(1)} from the load start)` };
}

async function autocannon(url) {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const { out, cpuS } = await run(process.execPath, [bin, '-c', String(connections), '-d', String(seconds), '--json', url]);
  const j = lastJson(out);
  return measured(j.requests.total / (j.duration || seconds), j.requests.total, cpuS);
}

async function wrk(url) {
  const { out, cpuS } = await run('/usr/bin/wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const n = /(\d+) requests in/.exec(out);
  if (!m || !n) throw new Error(`wrk output not understood:\n${out}`);
  return measured(Number(m[1]), Number(n[1]), cpuS);
}

function lastJson(out) {
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON in output:\n${out}`);
  return JSON.parse(line);
}

/** Runs a command under bash's `time`, for the CPU (user + sys) it and its threads used. */
function run(cmd, argv) {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', 'TIMEFORMAT="cpu %U %S"; time "$@"', 'bash', cmd, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const t = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
      if (code !== 0 || !t) reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`));
      else resolve({ out, cpuS: Number(t[1]) + Number(t[2]) });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
