import fc from 'fast-check';
import { checkLines } from '../../../src/cli/check-lines';
import { listRunLines, pausedLines, rerunLines, resumedLines, startedLine } from '../../../src/cli/list-action-lines';
import { planLines } from '../../../src/cli/plan-lines';
import { scheduleApplyLines, scheduleListLines } from '../../../src/cli/schedule-lines';
import { LINE_MAX, printedLines, terminalBlock, terminalLine, TEXT_MAX } from '../../../src/cli/terminal-text';
import type { PlanReport } from '../../../src/plan/plan-list';
import { initialProgress } from '../../../workflows/list-sync-state';
import { hostileText } from '../../helpers/hostile-text';

// `plan`, `check`, `schedules list|apply`, `run`, `pause`, `resume` and `rerun` print values from
// outside: list keys and selection column names from the configuration, the CRM's and Optimizely's
// fault texts in a problem or guard reason, schedule ids, notes, time zones and workflow ids as
// Temporal describes them, who acted and why, a workflow's answer. Each is shown bounded where the
// line shows it, as `why`, `report` and `status` show theirs. The lines are checked as printed:
// through CliContext.print (printedLines) and the terminal-safe io (terminalBlock), split where the
// terminal would break them.

/** Our own words, at most four ids or keys (200 printed characters each) and four sentences (600 each). */
const LINE_BOUND = 4000;
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const ACTS_ON = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

const huge = fc
  .tuple(fc.integer({ min: 5_000, max: 100_000 }), fc.constantFrom('x', '\n', '\r\n', '\u001b[2J', '\u202e', '\u200b', '😀', '\ud800'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));
const field = fc.oneof({ weight: 1, arbitrary: hostileText }, { weight: 2, arbitrary: huge });
const values = fc.array(field, { minLength: 8, maxLength: 8 });

/** What the operator's terminal shows of `lines`: one entry per line it prints. */
function shown(lines: string[]): string[] {
  return terminalBlock(printedLines(lines).join('\n')).split('\n');
}

/** Every line bounded and terminal-safe, as many lines as with plain values, and no value shown past a sentence's bound. */
function expectBounded(render: (v: string[]) => string[], v: string[]): void {
  const lines = shown(render(v));
  expect(lines.length).toBe(shown(render(v.map(() => 'plain'))).length);
  const tooLong = v.map((value) => terminalLine(value).slice(0, TEXT_MAX + 12)).filter((s) => s.length > TEXT_MAX + 6);
  for (const line of lines) {
    expect(line.length).toBeLessThanOrEqual(LINE_BOUND);
    expect(line).not.toMatch(ACTS_ON);
    for (const value of tooLong) expect(line.includes(value)).toBe(false);
  }
}

function planOf(v: string[]): PlanReport {
  return {
    listKey: v[0] as string,
    listId: 7,
    crm: { rowsRead: 3, accepted: 1, excluded: { [v[1] as string]: 1, invalid_email: 1 }, sanitizedRows: 0, suppressed: {} },
    optimizely: { count: 2, rowsRead: 2, pages: 1, rereads: 0 },
    diff: { add: 1, remove: 1, update: 0, unchanged: 0 },
    guard: { verdict: 'hold', reasons: [v[2] as string, v[3] as string], optimizelyUnsubscribed: 1 },
    warnings: [v[4] as string, v[5] as string],
  };
}

const COMMANDS: Record<string, (v: string[]) => string[]> = {
  plan: (v) => planLines(planOf(v), v[6], 3),
  check: (v) =>
    checkLines(v[0] as string, [
      {
        listKey: v[1] as string,
        listId: 1,
        ok: false,
        problems: [v[2] as string, v[3] as string],
        fieldsRequired: 2,
        fieldsPresent: 1,
        columnsChecked: true,
      },
      { listKey: v[4] as string, listId: 2, ok: true, problems: [], fieldsRequired: 2, fieldsPresent: 2, columnsChecked: false },
      {
        listKey: v[5] as string,
        listId: 3,
        ok: true,
        skipped: 'disabled',
        problems: [],
        fieldsRequired: 0,
        fieldsPresent: 0,
        columnsChecked: false,
      },
    ]),
  'schedules list': (v) =>
    scheduleListLines([
      {
        scheduleId: v[0] as string,
        workflowType: v[1] as string,
        when: v[2] as string,
        paused: true,
        note: v[3],
        nextRuns: [v[4] as string, v[5] as string],
        recentRuns: [v[6] as string, v[7] as string],
        running: [v[0] as string],
      },
    ]),
  'schedules apply': (v) =>
    scheduleApplyLines([
      { scheduleId: v[0] as string, change: 'created' },
      { scheduleId: v[1] as string, change: 'stale' },
    ]),
  run: (v) => [
    startedLine(v[0] as string, true),
    startedLine(v[1] as string, false),
    ...listRunLines({ listKey: v[2] as string, status: v[3] as never, decidedBy: v[4], progress: initialProgress('demo', v[2] as string) }),
  ],
  'pause, resume and rerun': (v) => {
    const actor = { by: v[1] as string, reason: v[2] as string };
    const answer = { action: 'pause', workflowId: v[3] as string, phase: v[4] as string, did: v[5] as string };
    return [
      ...pausedLines(v[0] as string, actor, { listKey: v[0] as string, paused: true, answer }),
      ...resumedLines(v[0] as string, actor, { listKey: v[0] as string, paused: false, answer }),
      ...rerunLines(v[0] as string, { listKey: v[0] as string, mode: 'queued', workflowId: v[3] as string, pausedControl: true, answer }),
      ...rerunLines(v[6] as string, { listKey: v[6] as string, mode: 'started', workflowId: v[7] as string, pausedControl: false }),
    ];
  },
};

describe('outside values in what plan, check, schedules, run, pause, resume and rerun print', () => {
  it.each(Object.keys(COMMANDS))('%s: every line bounded and terminal-safe, as many lines whatever the values hold', (name) => {
    fc.assert(
      fc.property(values, (v) => expectBounded(COMMANDS[name] as (v: string[]) => string[], v)),
      { numRuns: 40 },
    );
  });
});

describe('the net under the per-field bounds', () => {
  it('a line CliContext.print prints is at most LINE_MAX printed characters and the … that says it was cut, whatever it holds', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 3 }), (parts) => {
        const lines = shown([parts.join(' ')]);
        expect(lines).toHaveLength(1);
        expect((lines[0] as string).length).toBeLessThanOrEqual(LINE_MAX + 1);
        expect(lines[0]).not.toMatch(ACTS_ON);
      }),
      { numRuns: 40 },
    );
  });
});
