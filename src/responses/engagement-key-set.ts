import { EventKeySet } from './event-key-set';
import type { ResponseRow } from './response-rows';

// Opens and clicks are most of a window's rows, and their event key (response-rows.ts `eventKey`,
// SHA-1 of the row's parts, base64) was the largest single cost of classifying them on the reading
// thread: a native call, a digest string and its base64 decoded again per row. Their de-duplication
// needs no digest: a repeated open or click is one Optimizely listed twice, and a chance collision
// makes one open or click a `duplicate` (not recorded in the CRM), never an opt-out. So they are
// keyed here by a 96-bit hash of the same parts computed in JavaScript, in a set of their own: the
// bounces' and unsubscribes' SHA-1 keys stay apart, so no open or click, whatever its text, can be
// made to collide with an opt-out and have it dropped as a duplicate.

// Three 32-bit FNV-1a lanes with their own offsets and primes, over the UTF-16 units of the parts
// joined by NUL (as eventKey joins them), each finished by MurmurHash3's avalanche.
const OFFSET_A = 0x811c9dc5;
const OFFSET_B = 0x9747b28c;
const OFFSET_C = 0x3c6ef372;
const PRIME_A = 0x01000193;
const PRIME_B = 0x5bd1e995;
const PRIME_C = 0x27d4eb2f;

// The lanes of the row being hashed (module state: no array or object per row).
let laneA = 0;
let laneB = 0;
let laneC = 0;

function mixPart(text: string): void {
  let a = laneA;
  let b = laneB;
  let c = laneC;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, PRIME_A);
    b = Math.imul(b ^ unit, PRIME_B);
    c = Math.imul(c ^ unit, PRIME_C);
  }
  // The NUL after the part, as in the joined text.
  laneA = Math.imul(a, PRIME_A);
  laneB = Math.imul(b, PRIME_B);
  laneC = Math.imul(c, PRIME_C);
}

function avalanche(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** The parts of an open's or click's key, as eventKey takes them for a row that is no unsubscribe. */
function mixEngagement(row: ResponseRow): void {
  laneA = OFFSET_A;
  laneB = OFFSET_B;
  laneC = OFFSET_C;
  mixPart(row.kind);
  mixPart(row.recipientId);
  mixPart(row.timestamp);
  mixPart(row.mailingId);
  mixPart(row.category.replace('bounce', ''));
  mixPart(row.linkId);
  mixPart(row.linkUrl);
}

/** The opens and clicks seen in a window, by a 96-bit hash of their parts. */
export class EngagementKeySet {
  private readonly words = new EventKeySet();

  get size(): number {
    return this.words.size;
  }

  /** Adds the open's or click's key; true when no row with the same parts was added before. */
  add(row: ResponseRow): boolean {
    mixEngagement(row);
    const a = avalanche(laneA);
    const b = avalanche(laneB);
    const c = avalanche(laneC);
    // 96 bits as four 24-bit words (the set's layout).
    return this.words.addWords(a >>> 8, ((a & 0xff) << 16) | (b >>> 16), ((b & 0xffff) << 8) | (c >>> 24), c & 0xff_ffff);
  }
}
