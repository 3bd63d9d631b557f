import { cleanText, toEngineError } from './engine-error';

describe('outside text shown on a page', () => {
  it('loses escape sequences and control characters as the engine strips them, keeps the words, and is cut to its limit', () => {
    expect(cleanText('pod-1\u001b[31m red\u0007\u009b2J ok')).toBe('pod-1 red ok');
    expect(cleanText('line one\nline two\ttab')).toBe('line one\nline two\ttab');
    expect(cleanText('x'.repeat(600))).toBe(`${'x'.repeat(500)}…`);
    expect(cleanText(undefined)).toBe('');
  });

  it('cleans the message of an error that never reached the engine', () => {
    expect(toEngineError(new Error('down\u001b]0;title\u0007 now')).message).toBe('down now');
  });
});
