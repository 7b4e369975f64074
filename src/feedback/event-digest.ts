import { createHash, hash } from 'node:crypto';

type Encoding = 'base64' | 'hex';

/**
 * A one-shot digest of a short text: `crypto.hash` is about four times faster than
 * createHash().update().digest() for event keys (one per response row). Node before 20.12 lacks it.
 */
export const digest: (algorithm: 'sha1' | 'sha256', text: string, encoding: Encoding) => string =
  typeof hash === 'function'
    ? (algorithm, text, encoding) => hash(algorithm, text, encoding)
    : (algorithm, text, encoding) => createHash(algorithm).update(text).digest(encoding);
