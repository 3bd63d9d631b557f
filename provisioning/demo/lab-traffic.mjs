#!/usr/bin/env node
// Demo traffic of the compose stack (docker-compose.yml, service lab-traffic): keeps one run of
// each TestSpec of this folder going on the engine, one after another, so that the dashboards
// show a balanced test and an imbalanced one (and ScaleImbalance fires) as soon as the stack is up.
//
//   ENGINE_URL    the engine (default http://127.0.0.1:8000)
//   ENGINE_TOKEN  its bearer token, if it has one
//   DEMO_SPECS    folder of TestSpec JSON files (default: this script's folder)
//   DEMO_ROUNDS   runs of each spec before the script ends (default 144: a day of 10-minute runs)
//   DEMO_POLL_MS  how often a run's status is read (default 5000)
//
// Plain Node 20 (fetch), no dependencies: the engine image runs it as it is.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGINE = process.env.ENGINE_URL ?? 'http://127.0.0.1:8000';
const TOKEN = process.env.ENGINE_TOKEN ?? '';
const DIR = process.env.DEMO_SPECS ?? fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = Number(process.env.DEMO_ROUNDS ?? 144);
const POLL_MS = Number(process.env.DEMO_POLL_MS ?? 5000);
/** How long to wait for the engine to answer before giving up (compose restarts the service). */
const ENGINE_WAIT_MS = 5 * 60_000;
const ENDED = new Set(['finished', 'stopped', 'failed', 'interrupted']);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

async function call(method, path, body) {
  const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}) };
  const res = await fetch(new URL(path, ENGINE), { method, headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(10_000) });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json };
}

/** Starts the spec; waits out an engine that is not up yet or full (429); refuses a bad spec. */
async function start(spec) {
  const deadline = Date.now() + ENGINE_WAIT_MS;
  for (;;) {
    try {
      const r = await call('POST', '/api/load-test/start', spec);
      if (r.status === 201) return r.json.id;
      if (r.status !== 429 && r.status < 500) throw new Error(`${spec.name}: ${r.status} ${JSON.stringify(r.json.error ?? r.json)}`);
    } catch (err) {
      if (!(err instanceof TypeError) && err?.name !== 'TimeoutError') throw err; // not a connection problem
    }
    if (Date.now() > deadline) throw new Error(`the engine at ${ENGINE} did not take ${spec.name} within ${ENGINE_WAIT_MS / 60_000} minutes`);
    await sleep(2000);
  }
}

async function waitForEnd(id) {
  for (;;) {
    await sleep(POLL_MS);
    const r = await call('GET', `/api/load-test/status/${id}`).catch(() => undefined);
    if (r?.status === 404) return 'gone';
    if (r?.status === 200 && ENDED.has(r.json.status)) return r.json.status;
  }
}

async function keepRunning(file) {
  const spec = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  for (let round = 1; round <= ROUNDS; round++) {
    const id = await start(spec);
    log(`${spec.name}: round ${round}/${ROUNDS} started (${id})`);
    log(`${spec.name}: round ${round} ${await waitForEnd(id)}`);
  }
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  process.stderr.write(`no TestSpec files in ${DIR}\n`);
  process.exit(2);
}
log(`driving ${files.map((f) => basename(f, '.json')).join(', ')} on ${ENGINE}, ${ROUNDS} round(s) each`);
process.on('SIGTERM', () => process.exit(0));
try {
  await Promise.all(files.map(keepRunning));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
}
