/** Outside text (from an LLM, a target, a user) made safe to show. Pure. */

/** Terminal escape sequences: CSI (colours, cursor, clear), OSC (window title, hyperlinks), other ESC pairs. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (an LLM, a target, a spec) as a terminal may show it: escape sequences and
 * control characters removed (they could clear the screen, set the window title or rewrite
 * lines), newlines and tabs kept. A terminal's colours are added after this, never passed through it.
 */
export function safeText(s: string): string {
  return s.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** safeText on one line: newlines and tabs become spaces (names, pod labels, table cells). */
export function safeLine(s: string): string {
  return safeText(s).replace(/[\n\t]/g, ' ');
}

