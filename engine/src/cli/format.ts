import type { BalanceResult } from '../core/result.js';

/** Small formatters shared by the terminal views. */

export { safeLine, safeText } from '../core/text.js';

/**
 * JSON for a terminal or a pipe: JSON.stringify escapes C0 controls inside strings but leaves
 * DEL and the C1 range (U+0080-U+009F, where U+009B is a one-byte CSI) as they are; escape those
 * too. The JSON stays equal to the data.
 */
export function safeJson(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
export const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;
export const int = (v: number) => Math.round(v).toLocaleString('en-US');
export const secs = (s: number) => (s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)}ms` : `${s.toFixed(2)}s`);
export const score = (v: number) => v.toFixed(4);
export const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
export const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

const BLOCKS = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
/** A horizontal bar of `width` cells for a value in [0, 1], with eighth-cell resolution. */
export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return ('█'.repeat(full) + (rest ? BLOCKS[rest] : '')).padEnd(width, ' ');
}

const COLOURS = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;
export type Colour = keyof typeof COLOURS;
/** Wraps text in an ANSI colour when `on` (a TTY without NO_COLOR). */
export function paint(on: boolean, colour: Colour, text: string): string {
  return on ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text;
}

export function verdictColour(v: string): Colour {
  return v === 'balanced' ? 'green' : v === 'insufficient-data' ? 'yellow' : 'red';
}

/**
 * A balance as one phrase: the score and verdict on their basis, then the other figure, e.g.
 * `score 0.4000 imbalanced (utilisation; requests 0.4000)`.
 */
export function balancePhrase(b: Pick<BalanceResult, 'score' | 'verdict' | 'basis' | 'requestScore' | 'utilisation'>, colour: boolean): string {
  const other = b.basis === 'utilisation' ? `requests ${score(b.requestScore)}` : b.utilisation === null ? 'no busy time' : `utilisation ${score(b.utilisation)}`;
  return `score ${score(b.score)} ${paint(colour, verdictColour(b.verdict), b.verdict)} (${b.basis}; ${other})`;
}
