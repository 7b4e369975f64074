import fc from 'fast-check';
import { dailyRunLines } from '../../../src/cli/daily-run-lines';
import { runLine } from '../../../src/cli/commands/runs';
import type { JsonObject, RunRecord, StepRecord } from '../../../src/store/types';

const step = (
  name: string,
  status: StepRecord['status'],
  details: JsonObject = {},
  endedAt: string | null = '2026-11-30T02:00:09.000Z',
): StepRecord => ({
  runId: 'r-daily',
  name,
  status,
  startedAt: '2026-11-30T02:00:01.000Z',
  endedAt,
  details,
});

describe('dailyRunLines', () => {
  it('shows the phases in the order they run, with their outcome, the lists with their run ids, and errors', () => {
    const lines = dailyRunLines([
      step('retention', 'completed'),
      step('responses', 'failed', { error: 'session refused' }),
      step('lists', 'failed', {
        lists: {
          offers: { state: 'ready', runId: 'r-offers' },
          newsletter: { state: 'restored', runId: 'r-news' },
          weekly: { state: 'paused' },
        },
      }),
      step('feedback', 'completed', { artefacts: 'daily:acme:r-daily', bounces: 2, unsubscribes: 0 }),
    ]);
    expect(lines).toEqual([
      '  phases:',
      '    feedback   completed 02:00:01-02:00:09  artefacts daily:acme:r-daily; bounces 2, unsubscribes 0',
      '    lists      failed    02:00:01-02:00:09',
      '      newsletter   restored (run r-news)',
      '      offers       ready (run r-offers)',
      '      weekly       paused (not started)',
      '    responses  failed    02:00:01-02:00:09  error: session refused',
      '    retention  completed 02:00:01-02:00:09',
    ]);
  });

  it('shows a phase still running and a run with no phase yet', () => {
    expect(dailyRunLines([step('feedback', 'running', {}, null)])).toEqual(['  phases:', '    feedback   running   02:00:01-...']);
    expect(dailyRunLines([])).toEqual(['  no phase recorded yet']);
  });

  it('prints one line per step and per well-formed list whatever JSON the details hold, never throwing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.constantFrom('feedback', 'lists', 'responses', 'retention', 'other'),
            details: fc.dictionary(fc.string(), fc.jsonValue()),
          }),
        ),
        (steps) => {
          const records = steps.map((s) => step(s.name, 'completed', s.details as JsonObject));
          const lines = dailyRunLines(records);
          const listCount = records.reduce((n, r) => {
            const lists = r.details.lists;
            return n + (lists && typeof lists === 'object' && !Array.isArray(lists) ? Object.keys(lists).length : 0);
          }, 0);
          expect(lines).toHaveLength(records.length === 0 ? 1 : 1 + records.length + listCount);
        },
      ),
    );
  });
});

describe('runLine', () => {
  it('shows a daily run as daily with its outcome, its list counts left blank', () => {
    const run: RunRecord = {
      runId: 'r-daily',
      kind: 'daily',
      client: 'acme',
      listKey: null,
      status: 'restored',
      startedAt: '2026-11-30T02:00:00.000Z',
      endedAt: null,
      counts: { 'lists.ready': 1, 'lists.restored': 1 },
      snapshot: null,
    };
    expect(runLine(run)).toBe('2026-11-30 02:00  daily       restored   -         0         -         -         -       r-daily');
  });
});
