import { createHash, type Hash } from 'node:crypto';
import type { JsonValue } from './json-types';

/** JSON with object keys sorted at every level, so equal rows always give equal text and checksums. */
export function canonicalJson(value: JsonValue): string {
  // An undefined array item becomes null, as JSON.stringify does; undefined properties are skipped below.
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Plain loops and concatenation: this runs once per snapshot row, a million times per large list.
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i ? ',' : '') + canonicalJson(value[i] as JsonValue);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const item = value[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** sha256 over each row's canonical JSON followed by a newline, in row order. */
export class RowChecksum {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  /** Adds one row given as its canonical JSON text. */
  add(canonicalRow: string): void {
    this.hash.update(`${canonicalRow}\n`);
    this.count += 1;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
