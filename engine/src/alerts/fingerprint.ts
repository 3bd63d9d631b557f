/**
 * Alertmanager's fingerprint of a label set: 64-bit FNV-1a over the label names in sorted order,
 * each name and value followed by the byte 0xff, printed as 16 hex digits (prometheus/common
 * `model.LabelSet.Fingerprint` → `labelSetToFingerprint`). Used when a sender gives no
 * fingerprint, so that alerts from any sender are keyed as Alertmanager would key them.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  let h = OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  };
  const sep = Uint8Array.of(SEPARATOR);
  // prometheus/common sorts names as Go strings: by bytes, which for UTF-16 code units below
  // the surrogates is the same order as JavaScript's default sort.
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(sep);
    add(encoder.encode(labels[name]));
    add(sep);
  }
  return h.toString(16).padStart(16, '0');
}
