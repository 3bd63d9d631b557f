import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root (engine/test/observability → ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const repoPath = (p: string) => ROOT + p;

/** Debian's binaries (packages prometheus, prometheus-alertmanager, docker-compose; .ci/run installs them). */
export const TOOLS = {
  prometheus: process.env.PROMETHEUS ?? '/usr/bin/prometheus',
  promtool: process.env.PROMTOOL ?? '/usr/bin/promtool',
  alertmanager: process.env.ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager',
  amtool: process.env.AMTOOL ?? '/usr/bin/amtool',
  dockerCompose: process.env.DOCKER_COMPOSE ?? '/usr/bin/docker-compose',
} as const;

/** The path of a tool, or a clear failure naming the Debian package that brings it. */
export function tool(name: keyof typeof TOOLS): string {
  const path = TOOLS[name];
  try {
    accessSync(path, constants.X_OK);
  } catch {
    const pkg = { prometheus: 'prometheus', promtool: 'prometheus', alertmanager: 'prometheus-alertmanager', amtool: 'prometheus-alertmanager', dockerCompose: 'docker-compose' }[name];
    throw new Error(`${path} not found: install Debian's "${pkg}" package with --no-install-recommends (see .ci/run)`);
  }
  return path;
}

/** Runs a tool to completion; returns exit status and output. */
export function run(name: keyof typeof TOOLS, args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number | null; out: string } {
  const r = spawnSync(tool(name), args, { cwd: o.cwd ?? ROOT, env: o.env ?? process.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Parses a YAML file of the repository; `<<` merge keys are resolved, as Compose and PyYAML do. */
export function readYaml<T = any>(p: string): T {
  return parse(readFileSync(repoPath(p), 'utf8'), { merge: true }) as T;
}

/** A Prometheus rule as the rule files hold it. */
export interface RuleDef {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const RULE_FILES = ['provisioning/prometheus/rules/scale-recording.yml', 'provisioning/prometheus/rules/scale-alerts.yml'];

/** Every rule of the provisioned rule files, with the file it came from. */
export function allRules(): Array<RuleDef & { file: string }> {
  return RULE_FILES.flatMap((file) => readYaml<{ groups: Array<{ rules: RuleDef[] }> }>(file).groups.flatMap((g) => g.rules.map((r) => ({ ...r, file }))));
}

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    out.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return out;
}
