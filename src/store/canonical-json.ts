import { createHash, type Hash } from 'node:crypto';
import type { JsonValue } from './types';

/** JSON with object keys sorted at every level, so equal rows always give equal text and checksums. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}

/** sha256 over each row's canonical JSON followed by a newline, in row order. */
export class RowChecksum {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  /** Adds one row given as its canonical JSON text. */
  add(canonicalRow: string): void {
    this.hash.update(canonicalRow);
    this.hash.update('\n');
    this.count += 1;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
