import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The committed `scale` launcher; SCALE_FROM_SOURCE=1 makes it run the TypeScript sources. */
export const SCALE_BIN = fileURLToPath(new URL('../../bin/scale.js', import.meta.url));

/** What a finished `scale` process gave back. */
export interface CliOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Extra environment over the test's own; an undefined value removes the variable. */
export type CliEnv = Record<string, string | undefined>;

export interface CliOptions {
  env?: CliEnv;
  /** The process is killed (SIGKILL) after this long. Default 60 s. */
  timeoutMs?: number;
}

const envOf = (env: CliEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, SCALE_FROM_SOURCE: '1', ...env });

/** `scale ARGS` as a user runs it, in its own process; resolves once it has exited and its output has ended. */
export function scale(args: string[], o: CliOptions = {}): Promise<CliOutput> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCALE_BIN, ...args], { env: envOf(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The same, blocking the test until the process has exited. */
export function scaleSync(args: string[], o: CliOptions = {}): CliOutput {
  const r = spawnSync(process.execPath, [SCALE_BIN, ...args], { encoding: 'utf8', timeout: o.timeoutMs ?? 60_000, env: envOf(o.env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
