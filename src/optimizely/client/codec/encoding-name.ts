// Encoding names a response declares (the Content-Type charset, the XML declaration): the client
// reads UTF-8 only, and a declared name comes from the wire, so a message shows it only as a plain label.

/** UTF-8 as an encoding name may be spelt (XML declarations and HTTP headers alike). */
export const isUtf8Name = (name: string): boolean => /^utf-?8$/i.test(name);

/** An encoding name as a message may show it: a plain label, else `unknown`. */
export const shownName = (name: string): string => (/^[A-Za-z0-9._:-]{1,40}$/.test(name) ? name : 'unknown');
