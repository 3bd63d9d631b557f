/**
 * @jest-environment node
 */
/**
 * The real pages in a real browser against a real engine: `scale serve` (lab targets) on a free
 * port, the pages bundled into the harness, Debian's Chromium driven by playwright-core. Walks
 * the product's Usage: configure and start a test, watch it live, inject a fault and remove it,
 * enable auto-tuning, read the result and compare two runs. Saves a screenshot of every page to
 * .test-results/screenshots/ (git-ignored), or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bundleHarness } from './bundle';
import { startHarnessServer, type HarnessServer } from './harness-server';

jest.setTimeout(150_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, '.test-results', 'screenshots');
const TOKEN = 'harness-secret-token';
const APP = '/a/scale-lbtester-app';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let engine: ChildProcess | undefined;
let engineUrl = '';
let harness: HarnessServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tmp = '';

function startEngine(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'engine', 'bin', 'scale.js'), 'serve'], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        ENGINE_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: '',
        SCALE_FROM_SOURCE: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    engine = child;
    let err = '';
    const timer = setTimeout(() => reject(new Error(`engine did not start in 30 s: ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /scale engine on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited (${code}): ${err}`));
    });
  });
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const go = async (p: string) => {
  await page.getByRole('navigation', { name: 'Scale' }).getByRole('link', { name: p, exact: true }).click();
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'scale-harness-'));
  mkdirSync(SHOTS, { recursive: true });
  const [url] = await Promise.all([startEngine(path.join(tmp, 'data')), bundleHarness(path.join(tmp, 'bundle'))]);
  engineUrl = url;
  harness = await startHarnessServer({
    bundleDir: path.join(tmp, 'bundle'),
    iconsDir: path.join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons'),
    engineUrl,
    token: TOKEN,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

/** Ends the engine by its PID and waits for it to be gone (SIGKILL after 10 s), so nothing outlives the suite. */
async function stopEngine(child: ChildProcess | undefined) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 10_000))),
  ]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
  child.stderr?.destroy();
}

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await stopEngine(engine);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the app pages in Chromium against a real engine', () => {
  it("shows the engine's validation messages next to the fields they name", async () => {
    await page.goto(`${harness!.url}${APP}/load-test`);
    await page.getByRole('button', { name: 'Start Test' }).waitFor();
    await page.locator('#threshold-p99').fill('fast');
    await page.locator('#threshold-error-rate').fill('2');
    await page.getByRole('button', { name: 'Start Test' }).click();
    // The messages come from the engine's 400 envelope (details[].path = thresholds.p99, thresholds.errorRate).
    const p99Field = page.locator('div', { has: page.locator('#threshold-p99') }).last();
    await expectText(
      page,
      /thresholds|invalid|duration|p99/i,
      '[role="alert"], [data-testid*="FieldValidationMessage"], [class*="FieldValidationMessage"]'
    );
    const messages = await page.locator('[role="alert"]').allInnerTexts();
    expect(messages.join('\n')).toMatch(/refused the request \(400\)/);
    expect(await p99Field.count()).toBeGreaterThan(0);
    await shot('load-test-invalid');
    await page.locator('#threshold-p99').fill('');
    await page.locator('#threshold-error-rate').fill('');
  });

  it('starts a lab test from the original controls, follows it live, injects and removes a fault, tunes, and finds the result', async () => {
    // users, spawn rate, duration: the original controls (slider inputs)
    await setSlider('#users', '50');
    await setSlider('#spawn-rate', '25');
    await setSlider('#duration', '14');
    await page.locator('#test-name').fill('harness-run');
    await page.locator('[aria-label="Close alert"]').first().click();
    await shot('load-test');
    await page.getByRole('button', { name: 'Start Test' }).click();

    // Live: at least 5 updates with per-pod bars
    await page.waitForURL(/\/live\?test=/);
    const testId = new URL(page.url()).searchParams.get('test')!;
    await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="live-updates"]');
        return el && Number(el.textContent!.replace(/\D+/g, '')) >= 5;
      },
      undefined,
      { timeout: 30_000 }
    );
    expect(await page.locator('[data-testid^="pod-bar-"]').count()).toBe(5);
    await shot('live');

    // Control panel: a High latency fault, listed, then removed
    await go('Control panel');
    await page.getByText('Inject Failure').waitFor();
    await page.waitForFunction(() =>
      (document.querySelector('#test-picker') as HTMLInputElement | null)?.value?.includes('harness-run')
    );
    await page.getByRole('radio', { name: 'High' }).check({ force: true });
    await page.locator('#fault-duration').fill('20');
    await page.getByRole('button', { name: 'Inject Failure' }).click();
    const row = page.locator('[data-testid="fault-latency"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/high/);
    await page.getByRole('button', { name: 'Enable Auto-Tuning' }).click();
    await page.locator('[data-testid="tuning-state"]', { hasText: 'Auto-tuning is on' }).waitFor({ timeout: 10_000 });
    await shot('control-panel');
    await row.getByRole('button', { name: /Remove/ }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    const faults = await (
      await fetch(`${engineUrl}/api/failures?testId=${testId}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json();
    expect(faults.faults.find((f: { type: string }) => f.type === 'latency')).toMatchObject({
      severity: 'high',
      state: 'ended',
      endReason: 'removed',
    });

    // A second run to compare with: L4 keep-alive over 2 connections for 5 pods (imbalanced by design).
    const other = await engineCall('POST', '/api/load-test/start', {
      name: 'harness-l4',
      target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l4' },
      load: { model: 'closed', users: 20, spawnRate: 20, duration: '10s' },
      connections: { keepAlive: true, maxConnections: 2 },
    });

    // Simulator: the ranked policies
    await go('Simulator');
    await page.locator('#sim-requests').fill('20000');
    await page.getByRole('button', { name: 'Compare policies' }).click();
    await page.getByRole('table', { name: 'Policies ranked' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('table', { name: 'Policies ranked' }).locator('tbody tr').count()).toBe(7);
    await shot('simulator');

    // Results: the finished run with its verdict
    await go('Results');
    const link = page.getByRole('link', { name: 'harness-run' });
    await link.waitFor({ timeout: 10_000 });
    for (const id of [testId, other.id]) {
      await page.waitForFunction(
        (x) =>
          fetch(`/api/plugin-proxy/scale-lbtester-app/engine/api/load-test/status/${x}`)
            .then((r) => r.json())
            .then((s) => s.status === 'finished'),
        id,
        { timeout: 40_000, polling: 1000 }
      );
    }
    await page.reload();
    const resultRow = page.locator('tr', { has: page.getByRole('link', { name: 'harness-run' }) });
    await resultRow.getByText('finished').waitFor({ timeout: 15_000 });
    expect(await resultRow.innerText()).toMatch(/balanced|imbalanced|insufficient-data/);
    expect(await resultRow.innerText()).toMatch(/balance (pass|fail)/);
    await page
      .locator('tr', { has: page.getByRole('link', { name: 'harness-l4' }) })
      .getByText('finished')
      .waitFor({ timeout: 15_000 });
    await shot('results');

    // Compare: the two runs side by side
    await page.getByLabel(`compare harness-run ${testId.slice(0, 8)}`).check({ force: true });
    await page.getByLabel(`compare harness-l4 ${other.id.slice(0, 8)}`).check({ force: true });
    await page.getByRole('button', { name: 'Compare the two selected' }).click();
    await page.waitForURL(/\/results\/compare\?a=/);
    await page
      .getByRole('region', { name: 'Run harness-run' })
      .getByRole('table', { name: 'Per-pod results' })
      .waitFor();
    await page
      .getByRole('region', { name: 'Run harness-l4' })
      .getByRole('table', { name: 'Per-pod results' })
      .waitFor();
    expect(await page.getByRole('table', { name: 'Per-pod results' }).count()).toBe(2);
    await shot('compare');
    await go('Results');
    await resultRow.waitFor();
    await resultRow.getByRole('link', { name: 'harness-run' }).click();
    await page.getByRole('table', { name: 'Per-pod results' }).waitFor();
    expect(await page.getByRole('table', { name: 'Per-pod results' }).locator('tbody tr').count()).toBe(5);
    await shot('run-detail');

    // Turn the tuner off again (reverts anything it applied)
    await go('Control panel');
    await page.getByRole('button', { name: 'Disable Auto-Tuning' }).click();
    await page.locator('[data-testid="tuning-state"]', { hasText: 'Auto-tuning is off' }).waitFor({ timeout: 10_000 });
  });

  it('tests the connection through the proxy on the configuration page', async () => {
    await go('Configuration');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/the token is accepted/).waitFor({ timeout: 10_000 });
    await shot('configuration');
  });
});

async function engineCall(method: string, p: string, body?: unknown): Promise<{ id: string }> {
  const r = await fetch(`${engineUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) {
    throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  }
  return r.json();
}

async function setSlider(selector: string, value: string) {
  const input = page.locator(selector);
  await input.fill(value);
  await input.press('Enter');
  await input.blur();
}

async function expectText(p: Page, re: RegExp, selector: string) {
  await p.waitForFunction(
    ({ source, flags, sel }) =>
      [...document.querySelectorAll(sel)].some((e) => new RegExp(source, flags).test(e.textContent ?? '')),
    { source: re.source, flags: re.flags, sel: selector },
    { timeout: 10_000 }
  );
}
