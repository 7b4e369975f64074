import fc from 'fast-check';
import { aRun, aSent, anExcluded } from '../../helpers/store-builders';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';
import { hostileText } from '../../helpers/hostile-text';

// `why`, `report` and `runs` print what the ledger and the run records hold: CRM ids and entity
// types, exclusion reasons and fields, Optimizely's (redacted) faults, step details, list keys. Each is
// shown bounded: a value of 100,000 characters makes no line longer than a line of a few fields, and
// holds no character a terminal acts on. The store is filled once with generated values (fc.sample).

const LINE_BOUND = 4000;
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const ACTS_ON = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const huge = fc
  .tuple(fc.integer({ min: 5_000, max: 100_000 }), fc.constantFrom('x', '\n', '\u001b[2J', '\u202e', '😀', '\ud800', '\r\n'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const values = fc.sample(fc.oneof({ weight: 1, arbitrary: hostileText }, { weight: 2, arbitrary: huge }), { numRuns: 24, seed: 20261203 });
const v = (i: number) => values[i % values.length] as string;
const SUBJECT = 'anna@example.com';

const { cli } = useCliOnDemoStore('cli-bounded', async (store) => {
  await store.runs.upsert(aRun({ client: 'demo', runId: 'run-1', status: 'failed', counts: { exported: 1, [`excluded.${v(0)}`]: 1 } }));
  await store.runs.upsert(aRun({ client: 'demo', runId: 'run-2', listKey: v(1), status: 'completed' }));
  await store.runs.upsert(aRun({ client: 'demo', runId: 'run-3', kind: 'daily', listKey: null, status: 'completed' }));
  await store.runs.upsertStep({
    runId: 'run-3',
    name: v(2),
    status: 'failed',
    startedAt: '2026-03-01T06:00:00.000Z',
    endedAt: null,
    details: { error: v(3) },
  });
  await store.runs.upsertStep({
    runId: 'run-1',
    name: 'restore',
    status: 'failed',
    startedAt: '2026-03-01T06:00:00.000Z',
    endedAt: null,
    details: { reason: v(4) },
  });
  await store.ledger.record([
    aSent(SUBJECT, 0, { entityId: v(5), entityType: v(6) }),
    ...Array.from({ length: 8 }, (_, i) =>
      anExcluded(i + 1, v(7 + i), { recipientId: SUBJECT, entityId: v(8 + i), entityType: v(9 + i), field: v(10 + i) }),
    ),
    { runId: 'run-1', listKey: 'newsletter', outcome: 'rejected', recipientId: SUBJECT, entityType: v(16), entityId: v(17), fault: v(18) },
  ]);
});

function expectBounded(result: { out: string; err: string }): void {
  for (const line of `${result.out}\n${result.err}`.split('\n')) {
    expect(line.length).toBeLessThanOrEqual(LINE_BOUND);
    expect(line).not.toMatch(ACTS_ON);
  }
}

describe('CLI output of huge and hostile ledger values', () => {
  it('why shows every hit with its values bounded', async () => {
    const result = await cli(['why', SUBJECT, '--runs', '5']);
    expect(result.code).toBe(0);
    expect(result.out.split('\n').length).toBeGreaterThanOrEqual(11);
    expectBounded(result);
  });

  it('report of a list run, of a daily run, and runs', async () => {
    for (const argv of [['report', 'run-1'], ['report', 'run-2'], ['report', 'run-3'], ['runs']]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      expectBounded(result);
    }
  });
});
