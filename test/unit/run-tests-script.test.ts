import { mergeReports, splitOutputFile } from '../../scripts/run-tests';

const report = (passed: number, failed: number, startTime: number, files: string[]) => ({
  success: failed === 0,
  startTime,
  numPassedTests: passed,
  numFailedTests: failed,
  numTotalTests: passed + failed,
  numTotalTestSuites: files.length,
  testResults: files.map((name) => ({ name })),
});

describe('npm test in two passes', () => {
  it('takes --outputFile out of the arguments in both spellings and passes the rest on', () => {
    expect(splitOutputFile(['--forceExit', '--json', '--outputFile=r.json', 'a.test.ts'])).toEqual({
      outputFile: 'r.json',
      rest: ['--forceExit', '--json', 'a.test.ts'],
    });
    expect(splitOutputFile(['--outputFile', 'r.json', '--json'])).toEqual({ outputFile: 'r.json', rest: ['--json'] });
    expect(splitOutputFile(['--json'])).toEqual({ outputFile: undefined, rest: ['--json'] });
  });

  it('merges the passes into one report: counts summed, every file kept, failed when either failed', () => {
    const merged = mergeReports([report(5, 0, 200, ['u1', 'u2']), report(3, 1, 100, ['i1'])]);
    expect(merged).toMatchObject({
      success: false,
      startTime: 100,
      numPassedTests: 8,
      numFailedTests: 1,
      numTotalTests: 9,
      numTotalTestSuites: 3,
    });
    expect(merged.testResults).toEqual([{ name: 'u1' }, { name: 'u2' }, { name: 'i1' }]);
    expect(mergeReports([report(5, 0, 1, ['u']), report(3, 0, 2, ['i'])]).success).toBe(true);
  });
});
