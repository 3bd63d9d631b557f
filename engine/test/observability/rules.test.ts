import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { allRules, headingAnchors, readYaml, repoPath, run } from './repo.js';

const PROM = 'provisioning/prometheus';
const ALERTS = ['ScaleImbalance', 'ScaleHighErrorRate', 'ScaleLatencyBreach', 'ScaleFaultStuck', 'ScaleEngineDown'];
const ruleTests = () => readdirSync(repoPath(`${PROM}/tests`)).filter((f) => f.endsWith('.yml'));

describe('Prometheus and Alertmanager configuration (checked by their own tools)', () => {
  it('`promtool check rules` accepts every rule file', () => {
    const r = run('promtool', ['check', 'rules', ...readdirSync(repoPath(`${PROM}/rules`)).map((f) => `${PROM}/rules/${f}`)]);
    expect(r).toMatchObject({ status: 0 });
  });

  it('`promtool test rules` passes every unit test file', () => {
    const files = ruleTests();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const r = run('promtool', ['test', 'rules', ...files.map((f) => `${PROM}/tests/${f}`)]);
    expect(r.out).not.toContain('FAILED');
    expect(r).toMatchObject({ status: 0 });
  });

  it('`promtool check config` accepts prometheus.yml and finds its rule files', () => {
    const r = run('promtool', ['check', 'config', `${PROM}/prometheus.yml`]);
    expect(r.out).toContain('2 rule files found');
    expect(r).toMatchObject({ status: 0 });
  });

  it('`amtool check-config` accepts alertmanager.yml, whose receiver posts to the engine with a bearer token', () => {
    const r = run('amtool', ['check-config', 'provisioning/alertmanager/alertmanager.yml']);
    expect(r).toMatchObject({ status: 0 });
    const am = readYaml('provisioning/alertmanager/alertmanager.yml');
    const hook = am.receivers.find((x: { name: string }) => x.name === am.route.receiver).webhook_configs[0];
    expect(hook).toMatchObject({ url: 'http://engine:8000/api/alerts', send_resolved: true, http_config: { authorization: { type: 'Bearer' } } });
  });
});

describe('the alert rules', () => {
  const alerts = allRules().filter((r) => r.alert);

  it('are exactly the documented alerts', () => {
    expect([...new Set(alerts.map((a) => a.alert))].sort()).toEqual([...ALERTS].sort());
  });

  it.each(ALERTS)('%s has a severity, a summary, a description and a runbook link to a README section', (name) => {
    const readme = readFileSync(repoPath('README.md'), 'utf8');
    const anchors = headingAnchors(readme);
    for (const rule of alerts.filter((a) => a.alert === name)) {
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.stringMatching(/\S/));
      expect(rule.annotations?.description).toEqual(expect.stringMatching(/\S/));
      const link = rule.annotations?.runbook_url ?? '';
      expect(link).toMatch(/^README\.md#[a-z0-9-]+$/);
      expect(anchors).toContain(link.split('#')[1]);
    }
  });

  it('ScaleImbalance reads only the per-test gauges scale_imbalance, scale_balance_score and scale_test_running', () => {
    const expr = alerts.find((a) => a.alert === 'ScaleImbalance')!.expr;
    const metrics = [...expr.matchAll(/\bscale_[a-z0-9_]+/g)].map((m) => m[0]);
    expect([...new Set(metrics)].sort()).toEqual(['scale_balance_score', 'scale_imbalance', 'scale_test_running']);
    expect(alerts.find((a) => a.alert === 'ScaleImbalance')!.for).toBe('30s');
  });

  it.each(ALERTS)('%s has a promtool test in which it fires and one in which it stays silent', (name) => {
    let fires = false;
    let silent = false;
    for (const f of ruleTests()) {
      const doc = readYaml(`${PROM}/tests/${f}`);
      for (const t of doc.tests ?? [])
        for (const c of t.alert_rule_test ?? []) {
          if (c.alertname !== name) continue;
          if ((c.exp_alerts ?? []).length > 0) fires = true;
          else silent = true;
        }
    }
    expect({ name, fires, silent }).toEqual({ name, fires: true, silent: true });
  });
});
