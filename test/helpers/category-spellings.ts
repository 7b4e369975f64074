import fc from 'fast-check';

/** `word` as a feed may spell it: each letter in either case or full width, spaces, tabs and zero-width characters around and between. */
export function spelled(word: string): fc.Arbitrary<string> {
  const noise = fc.array(fc.constantFrom(' ', '\t', '\u00a0', '\u200b', '\ufeff', '\u3000'), { maxLength: 2 }).map((a) => a.join(''));
  const letter = (c: string) =>
    fc.constantFrom(
      c,
      c.toUpperCase(),
      String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41),
      String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff21),
    );
  return fc.tuple(...[...word].map((c) => fc.tuple(noise, letter(c))), noise).map(([...parts]) => {
    const end = parts.pop() as string;
    return (parts as [string, string][]).map(([n, c]) => n + c).join('') + end;
  });
}
