// Counts how much text a synchronous function searches, by spying on the String and RegExp methods
// that scan: a bound on work that does not depend on the machine's speed.
const STRING_SCANS = [
  'includes',
  'indexOf',
  'lastIndexOf',
  'startsWith',
  'endsWith',
  'search',
  'match',
  'matchAll',
  'replace',
  'replaceAll',
  'split',
  'trim',
] as const;
const REGEXP_SCANS = ['exec', 'test'] as const;

export interface ScanCount {
  /** Length of the longest string any scan ran over. */
  longest: number;
  /** Sum of the lengths of every scanned string. */
  total: number;
  calls: number;
}

export function countStringScans<T>(run: () => T): { result: T; scans: ScanCount } {
  const stringSpies = STRING_SCANS.map((method) => jest.spyOn(String.prototype, method as never));
  const regexpSpies = REGEXP_SCANS.map((method) => jest.spyOn(RegExp.prototype, method as never));
  let result: T;
  let lengths: number[];
  try {
    result = run();
  } finally {
    // Read before restoring: mockRestore also clears what the spies recorded.
    lengths = [
      ...stringSpies.flatMap((spy) => spy.mock.contexts.map((text) => String(text).length)),
      ...regexpSpies.flatMap((spy) => spy.mock.calls.map((args) => String((args as unknown[])[0]).length)),
    ];
    for (const spy of [...stringSpies, ...regexpSpies]) spy.mockRestore();
  }
  return { result, scans: { longest: Math.max(0, ...lengths), total: lengths.reduce((sum, n) => sum + n, 0), calls: lengths.length } };
}
