import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { ScaleError } from '../../src/core/errors.js';
import { registerTuneCommand, tuneCommand } from '../../src/cli/tune-command.js';

const io = () => {
  const out: string[] = [];
  return { out: (t: string) => void out.push(t), err: () => undefined, lines: out };
};

describe('scale tune (input checks; the live path is covered by tuner-lab.test.ts)', () => {
  it('registers `tune` with --dry-run and --json', () => {
    const p = new Command('scale');
    registerTuneCommand(p, io());
    const tune = p.commands.find((c) => c.name() === 'tune')!;
    expect(tune.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--spec', '--dry-run', '--json', '--baseline', '--verify']));
  });

  it('rejects unknown flags and bad durations as invalid input (exit 2 via main), before any run', async () => {
    await expect(tuneCommand({}, ['--bogus'], io())).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(tuneCommand({ baseline: 'soon' }, [], io())).rejects.toBeInstanceOf(ScaleError);
  });
});
