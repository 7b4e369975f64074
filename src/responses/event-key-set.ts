// The event keys seen in a window (response-rows.ts `eventKey`: 16 base64 characters, the first 96
// bits of a SHA-1 digest), one per row of every getter. A Set<string> of them held each key as a
// string of its own (and the digest it was cut from) and hashed it again: adding to it cost more
// than the digest, and a large window's keys were megabytes for the garbage collector to trace. Here
// each key is its 96 bits in a typed array: four 24-bit words, one per four characters, so two
// keys are equal exactly when their words are.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SIXTETS = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64.length; i += 1) table[BASE64.charCodeAt(i)] = i;
  return table;
})();
const KEY_LENGTH = 16;
const WORDS = KEY_LENGTH / 4;
/** Set in a slot's first word when it holds a key (a word has 24 bits). */
const USED = 0x100_0000;

/** A set of event keys; `add` and `size` as a Set<string>'s. */
export class EventKeySet {
  private slots = 1024;
  private words = new Int32Array(this.slots * WORDS);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the key (16 base64 characters, as eventKey gives); another text throws, it is no event key. */
  add(key: string): this {
    if (key.length !== KEY_LENGTH) throw new Error('not an event key');
    const w0 = wordAt(key, 0);
    const w1 = wordAt(key, 4);
    const w2 = wordAt(key, 8);
    const w3 = wordAt(key, 12);
    if ((w0 | w1 | w2 | w3) < 0) throw new Error('not an event key');
    this.addWords(w0, w1, w2, w3);
    return this;
  }

  /** Adds a key given as its four 24-bit words; true when it was not in the set. */
  addWords(w0: number, w1: number, w2: number, w3: number): boolean {
    const before = this.count;
    this.insert((w0 & 0xff_ffff) | USED, w1 & 0xff_ffff, w2 & 0xff_ffff, w3 & 0xff_ffff);
    return this.count > before;
  }

  private insert(w0: number, w1: number, w2: number, w3: number): void {
    // At most half full, so a probe ends soon.
    if ((this.count + 1) * 2 > this.slots) this.grow();
    const mask = this.slots - 1;
    const words = this.words;
    // The digest's bits are uniform already; mixing the words only spreads the slots.
    let mixed = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2 ^ w3, 0x85ebca6b), 0x27d4eb2d);
    mixed ^= mixed >>> 15;
    let slot = mixed & mask;
    for (;;) {
      const at = slot * WORDS;
      if (words[at] === 0) break;
      if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) return;
      slot = (slot + 1) & mask;
    }
    const at = slot * WORDS;
    words[at] = w0;
    words[at + 1] = w1;
    words[at + 2] = w2;
    words[at + 3] = w3;
    this.count += 1;
  }

  private grow(): void {
    const old = this.words;
    this.slots *= 2;
    this.words = new Int32Array(this.slots * WORDS);
    this.count = 0;
    for (let at = 0; at < old.length; at += WORDS)
      if (old[at] !== 0) this.insert(old[at] as number, old[at + 1] as number, old[at + 2] as number, old[at + 3] as number);
  }
}

/** The 24 bits of four base64 characters from `at`; negative when one is not a base64 character. */
function wordAt(key: string, at: number): number {
  let word = 0;
  for (let i = at; i < at + 4; i += 1) {
    const code = key.charCodeAt(i);
    const sixtet = code < 128 ? (SIXTETS[code] as number) : -1;
    if (sixtet < 0) return -1;
    word = (word << 6) | sixtet;
  }
  return word;
}
