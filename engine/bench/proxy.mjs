#!/usr/bin/env node
/**
 * Benchmark (not a test): the lab's L7 round-robin proxy against nginx (1 worker, keep-alive
 * upstreams) as a reverse proxy over the same 4 lab pods (fixed:0ms), measured with wrk,
 * interleaved rounds, medians. Prints a table; asserts nothing.
 *
 *   node engine/bench/proxy.mjs [--rounds 3] [--duration 5s] [--connections 64] [--dist DIR]
 *
 * Needs /usr/sbin/nginx (Debian nginx-light) and wrk. Imports the lab from dist/ when built,
 * else from the TypeScript source through tsx.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const NGINX = '/usr/sbin/nginx';
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5s' },
    connections: { type: 'string', default: '64' },
    /** A build output directory to load the lab from (default: engine/dist, else the source via tsx). */
    dist: { type: 'string' },
  },
});
const rounds = Math.max(1, Math.min(20, Number(args.rounds) || 3));

async function loadLab() {
  const built = args.dist
    ? pathToFileURL(join(resolve(args.dist), 'lab/lab.js'))
    : new URL('../dist/lab/lab.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return import(built.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL('../src/lab/lab.ts', import.meta.url).href);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startNginx(dir, port, podPorts) {
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, d), { recursive: true });
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pods {
${podPorts.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pods;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // Ready when it accepts connections (bounded wait: 50 × 100 ms).
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      await r.arrayBuffer();
      if (r.headers.get('x-scale-pod')) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`nginx did not become ready: ${stderr}`);
}

function wrk(url) {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${args.connections}`, `-d${args.duration}`, url], (err, stdout) => {
      if (err) return reject(err);
      const m = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const errors = /Non-2xx or 3xx responses:\s+(\d+)|Socket errors:.*/.exec(stdout);
      if (!m) return reject(new Error(`cannot parse wrk output:\n${stdout}`));
      resolve({ rps: Number(m[1]), note: errors ? errors[0] : '' });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [bin, pkg] of [[NGINX, 'nginx-light'], ['/usr/bin/wrk', 'wrk']]) {
  if (!existsSync(bin)) {
    console.error(`${bin} is missing: apt-get install -y --no-install-recommends ${pkg}`);
    process.exit(2);
  }
}

const { Lab } = await loadLab();
const lab = await Lab.start({
  pods: Array.from({ length: 4 }, () => ({ behaviour: { latency: { kind: 'fixed', ms: 0 } } })),
  policy: 'round-robin',
  mode: 'l7',
  seed: 1,
});
const dir = await mkdtemp(join(tmpdir(), 'scale-bench-nginx-'));
let nginx;
try {
  const podPorts = lab.pods().map((p) => Number(new URL(p.url).port));
  const port = await freePort();
  nginx = await startNginx(dir, port, podPorts);
  const targets = { ours: lab.url, nginx: `http://127.0.0.1:${port}/` };
  const results = { ours: [], nginx: [] };
  // Warm-up (JIT, connection pools), then interleaved rounds so drift hits both alike.
  for (const url of Object.values(targets)) await new Promise((r) => execFile('wrk', ['-t1', '-c64', '-d1s', url], r));
  for (let round = 1; round <= rounds; round++) {
    for (const [name, url] of Object.entries(targets)) {
      const { rps, note } = await wrk(url);
      results[name].push(rps);
      console.log(`round ${round} ${name.padEnd(5)} ${rps.toFixed(0).padStart(8)} req/s ${note}`);
    }
  }
  const ours = median(results.ours);
  const theirs = median(results.nginx);
  // Each round's pair ran back to back, so the median of per-round ratios cancels most of the
  // drift of a shared machine better than the ratio of the two medians does.
  const paired = median(results.ours.map((x, i) => x / results.nginx[i]));
  console.log('\nreverse proxy, round-robin over 4 lab pods (fixed:0ms), wrk -t1 -c%s -d%s, %d rounds', args.connections, args.duration, rounds);
  console.table({
    'lab L7 proxy': { 'median req/s': Math.round(ours) },
    'nginx (1 worker)': { 'median req/s': Math.round(theirs) },
    'ratio of medians': { 'median req/s': Number((ours / theirs).toFixed(2)) },
    'median per-round ratio': { 'median req/s': Number(paired.toFixed(2)) },
  });
  console.log('per pod (served by each pod, both proxies):', lab.stats().map((s) => `${s.name}=${s.served}`).join(' '));
} finally {
  nginx?.kill('SIGTERM');
  await lab.close();
  await rm(dir, { recursive: true, force: true });
}
