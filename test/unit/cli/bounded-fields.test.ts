import fc from 'fast-check';
import type { ImportFeedbackOutput } from '../../../activities/feedback-types';
import { runLine } from '../../../src/cli/commands/runs';
import { dailyRunLines } from '../../../src/cli/daily-run-lines';
import { feedbackSummaryLines } from '../../../src/cli/feedback-summary-lines';
import { printDailySummary } from '../../../src/cli/print-daily-summary';
import { renderStatus } from '../../../src/cli/render-status';
import { TEXT_MAX, terminalLine } from '../../../src/cli/terminal-text';
import type { StatusSnapshot } from '../../../src/operations/status-snapshot';
import type { StateStore } from '../../../src/store/state-store';
import { initialProgress } from '../../../workflows/list-sync-state';
import { aRun } from '../../helpers/store-builders';
import { hostileText } from '../../helpers/hostile-text';

// Every value from outside a line shows (a list key, a note or failure reason, who paused and why, a
// dropped file's name, a step's error, a run id from the store) is bounded where it is shown: a value
// of 100,000 characters makes no line longer than a line of a few fields, whatever the value holds.
// The lines are checked as printed (terminalLine, as ctx.print and the summary print them).

/** Our own words, at most four ids or keys (200 printed characters each) and four sentences (600 each: reasons, notes, errors). */
const LINE_BOUND = 4000;
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const ACTS_ON = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

const huge = fc
  .tuple(fc.integer({ min: 5_000, max: 100_000 }), fc.constantFrom('x', '\n', '\u001b[2J', '\u202e', '😀', '\ud800'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const field = fc.oneof({ weight: 1, arbitrary: hostileText }, { weight: 2, arbitrary: huge });

/** Every line bounded and terminal-safe, and no value shown longer than a sentence (TEXT_MAX) anywhere. */
function expectBounded(lines: string[], ...values: string[]): void {
  const tooLong = values.map((v) => terminalLine(v).slice(0, TEXT_MAX + 12)).filter((shown) => shown.length > TEXT_MAX + 6);
  for (const line of lines.map(terminalLine)) {
    expect(line.length).toBeLessThanOrEqual(LINE_BOUND);
    expect(line).not.toMatch(ACTS_ON);
    for (const shown of tooLong) expect(line.includes(shown)).toBe(false);
  }
}

describe('fields from outside in printed lines', () => {
  it('runs: a run line', () => {
    fc.assert(
      fc.property(field, field, field, (listKey, status, runId) => {
        expectBounded([runLine(aRun({ listKey, status: status as never, runId }))], listKey, status, runId);
      }),
      { numRuns: 50 },
    );
  });

  it('report of a daily run: its phases and lists', () => {
    fc.assert(
      fc.property(field, field, field, field, (name, error, listKey, runId) => {
        const details = { runId, artefacts: error, error, lists: { [listKey]: { state: error, runId } }, [name]: 1 };
        const step = { runId, name, status: 'failed' as const, startedAt: '2026-11-30T02:00:01.000Z', endedAt: null, details };
        expectBounded(dailyRunLines([step]), name, error, listKey, runId);
      }),
      { numRuns: 50 },
    );
  });

  it('the feedback summary: dropped file names, their reasons and rejected-row reasons', () => {
    fc.assert(
      fc.property(field, field, field, (name, reason, rejectedReason) => {
        const feedback: ImportFeedbackOutput = {
          bounces: 1,
          unsubscribes: 0,
          applied: 0,
          alreadyApplied: 0,
          unknownRecipient: 0,
          unknownEntity: 0,
          invalidRows: 1,
          rejected: { [rejectedReason]: 1 },
          dropped: { processed: [], duplicates: [], quarantined: [{ name, reason }] },
          watermark: '2026-11-30T06:00:00.000Z',
          files: [],
        };
        expectBounded(feedbackSummaryLines(feedback), name, reason, rejectedReason);
      }),
      { numRuns: 50 },
    );
  });

  it('the daily summary: list keys, notes and count keys', async () => {
    await fc.assert(
      fc.asyncProperty(field, field, field, async (listKey, note, countKey) => {
        const run = aRun({ client: 'demo', listKey, counts: { exported: 1, [`excluded.${countKey}`]: 1, [`resultCodes.${countKey}`]: 1 } });
        const store = { runs: { list: async () => [run] } } as unknown as StateStore;
        const lines: string[] = [];
        await printDailySummary(
          { client: 'demo', phase: 'done', lists: { [listKey]: { state: 'failed', workflowId: 'w', note } } },
          store,
          (l) => lines.push(l),
        );
        expectBounded(lines, listKey, note, countKey);
      }),
      { numRuns: 50 },
    );
  });

  it('status: every list line, whatever its key, note, pause, guard reasons or errors hold', () => {
    fc.assert(
      fc.property(field, field, field, (listKey, text, other) => {
        const progress = {
          ...initialProgress('demo', listKey),
          phase: 'held' as const,
          paused: true,
          pausedBy: text,
          pauseReason: other,
          guardReasons: [text, other],
        };
        const snapshot: StatusSnapshot = {
          client: text,
          at: '2026-11-27T02:31:05.000Z',
          daily: {
            workflowId: text,
            status: { client: 'demo', phase: other as never, lists: { [listKey]: { state: 'failed', workflowId: text, note: other } } },
          },
          otherDailyRuns: [text],
          lists: [
            { listKey, open: { workflowId: text, progress }, retrying: [{ activity: text, attempt: 2, lastError: other }] },
            { listKey },
            { listKey: other, control: { client: 'demo', listKey: other, paused: true, by: text, reason: other, at: text } },
            { listKey: `${text}.`, afterClear: { runId: text, status: 'failed', endedAt: other, restore: { reason: other } } },
            {
              listKey: `${other}.`,
              unanswered: { workflowId: text, lastKnownPhase: other, listIncomplete: true, silentForSeconds: 4, error: text },
            },
          ],
        };
        expectBounded(renderStatus(snapshot), listKey, text, other);
      }),
      { numRuns: 50 },
    );
  });
});
