import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { DemoBackend, demoBackendOptions, parseFaults } from '../../src/lab/demo-backend.js';
import { DEFAULT_POD_BEHAVIOUR } from '../../src/spec/pod-behaviour.js';

/**
 * The demo backend for clusters: the pod header from POD_NAME, the lab's behaviour knobs from
 * the environment, the fault endpoint (what the engine's latency and error faults use),
 * metrics; run as the image runs it (its own entry, stopped by SIGTERM); and an import closure
 * of Node's own modules only, which lets its image carry no node_modules.
 */
const src = fileURLToPath(new URL('../../src/', import.meta.url));

describe('demo backend', () => {
  it('reads its settings from the environment, listing every problem', () => {
    const o = demoBackendOptions({ POD_NAME: 'demo-abc', SCALE_LATENCY: 'exp:20ms', SCALE_CONCURRENCY: '8', PORT: '9090' });
    expect(o).toMatchObject({ name: 'demo-abc', host: '0.0.0.0', port: 9090, podHeader: 'x-scale-pod', behaviour: { latency: { kind: 'exp', meanMs: 20 }, concurrency: 8 } });
    const bad = demoBackendOptions({ SCALE_LATENCY: 'soon', SCALE_ERROR_RATE: '2', PORT: 'x' });
    expect((bad as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['POD_NAME', 'PORT', 'SCALE_ERROR_RATE', 'SCALE_LATENCY']);
  });

  it('answers with its pod header, takes faults at its endpoint and counts in its metrics', async () => {
    const b = await DemoBackend.start({ name: 'demo-1', host: '127.0.0.1', port: 0, behaviour: { ...DEFAULT_POD_BEHAVIOUR, latency: { kind: 'fixed', ms: 0 } }, podHeader: 'x-scale-pod' });
    const base = `http://127.0.0.1:${b.port}`;
    try {
      const r = await fetch(`${base}/`);
      expect(r.headers.get('x-scale-pod')).toBe('demo-1');
      expect(await (await fetch(`${base}/_scale/faults`)).json()).toEqual({ backend: 'scale-demo-backend', pod: 'demo-1', faults: {} });
      const set = await fetch(`${base}/_scale/faults`, { method: 'POST', body: JSON.stringify({ abort: { rate: 1, status: 503 } }) });
      expect(set.status).toBe(200);
      expect((await fetch(`${base}/`)).status).toBe(503);
      const bad = await fetch(`${base}/_scale/faults`, { method: 'POST', body: JSON.stringify({ abort: { rate: 3 }, colour: 'red' }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path).sort()).toEqual(['faults.abort', 'faults.colour']);
      await fetch(`${base}/_scale/faults`, { method: 'POST', body: '{}' });
      expect((await fetch(`${base}/`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^scale_demo_requests_total\{pod="demo-1"\} 3$/m);
      expect(metrics).toMatch(/^scale_demo_errors_total\{pod="demo-1"\} 1$/m);
    } finally {
      await b.close();
    }
  });

  it('accepts only well-formed fault states', () => {
    expect(parseFaults('{"delay":{"latency":{"kind":"fixed","ms":50},"fraction":1}}')).toEqual({ delay: { latency: { kind: 'fixed', ms: 50 }, fraction: 1 } });
    expect(Array.isArray(parseFaults('{"delay":{"latency":{"kind":"warp"},"fraction":1}}'))).toBe(true);
    expect(Array.isArray(parseFaults('not json'))).toBe(true);
  });

  it('runs from its own entry, without a pod header when told, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx/esm'), join(src, 'cli/demo-backend-main.ts')], {
      env: { ...process.env, POD_NAME: 'demo-x', PORT: '0', HOST: '127.0.0.1', SCALE_POD_HEADER: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /on 127\.0\.0\.1:(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(err)));
    });
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-scale-pod')).toBeNull();
    const code = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
  });

  it('imports nothing but Node modules, so its image needs no node_modules', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^(import|export)(?! type)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (m[2].startsWith('.')) walk(normalize(join(dirname(file), m[2].replace(/\.js$/, '.ts'))));
        else external.add(m[2]);
      }
    };
    walk(join(src, 'cli/demo-backend-main.ts'));
    expect([...external].every((e) => e.startsWith('node:'))).toBe(true);
    // The image copies dist/core, dist/lab and the files it names: everything the entry needs.
    const dockerfile = readFileSync(fileURLToPath(new URL('../../Dockerfile.demo-backend', import.meta.url)), 'utf8');
    for (const f of seen) {
      const rel = f.slice(src.length);
      const copied = rel.startsWith('core/') || rel.startsWith('lab/') || dockerfile.includes(`dist/${rel.replace(/\.ts$/, '.js')}`);
      expect({ rel, copied }).toEqual({ rel, copied: true });
    }
    expect(dockerfile).toMatch(/^FROM node:20-slim AS build$/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });
});
