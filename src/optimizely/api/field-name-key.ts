import { recipientIdKey } from '../../validation/recipient-id-key';

// When two Optimizely field names are one field, for the configuration's checks of what a list's
// requests write. Optimizely keeps a field's internal name with its case (API notes §3.1) and says
// nothing about how it matches the names of a call; it is a Java server, and a database behind it may
// compare names without case, blanks or width. The simulator and the pre-flight compare exactly.
// Wider is the safe side here: a mapping refused for a look-alike costs the operator one edit, a
// mapping let through onto the address field overwrites the address recipients are sent to.

/** Format characters (zero-width space, BOM, bidi marks): invisible in a name, and in the file. */
const INVISIBLE = /\p{Cf}/gu;

/**
 * The key under which two field names are one field: invisible format characters removed (before and
 * after normalising), compatibility-normalised (NFKC: full-width and other compatibility forms are their
 * plain letters, a letter and its combining mark one letter), blanks
 * around it trimmed, and letter case ignored as Java's `equalsIgnoreCase` ignores it (recipientIdKey).
 */
export function fieldNameKey(name: string): string {
  // Removed before normalising: one between a letter and its combining mark would keep them apart.
  return recipientIdKey(name.replace(INVISIBLE, '').normalize('NFKC').replace(INVISIBLE, '').trim());
}
