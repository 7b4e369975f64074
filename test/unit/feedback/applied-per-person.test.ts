import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { applyValidRows, emptyTally, type ApplyFeedbackPorts } from '../../../src/feedback/apply-feedback-file';
import { resolveSentIds } from '../../../src/feedback/feedback-events';
import type { ValidFeedbackRow } from '../../../src/feedback/feedback-row';
import { rejectedRows } from '../../../src/feedback/feedback-tally';
import { suppressionKey } from '../../../src/validation/suppressions';
import { feedbackClient, LISTS, memoryIntake } from '../../helpers/feedback-harness';
import { aSentIdSet, eventsOf, expectedWrites, idempotentCrm, peopleLedger, type PersonEvent } from '../../helpers/fold-alike-people';

// Exactly once per person: the feedback import keyed an applied event by the reported id folded
// (suppressionKey), so two people we sent under ids that fold alike (`ABC1`, `ＡＢＣ１`), with an event
// of the same kind, list and second, shared one key and the second one's CRM entity never got its
// event. Events are now keyed by the id they resolved to in the ledger. Over sets of sent ids that
// fold alike and events reported under any of their forms, replayed and retried after a crash
// between the CRM write and the key record: every person gets each of their events exactly once.

const NOW = Date.parse('2026-11-30T06:00:00Z');
const timeOf = (second: number) => new Date(NOW - 3_600_000 + second * 1000).toISOString();
const OPT_INS = [String(LISTS[0].optInId), String(LISTS[1].optInId)] as const;

function rowsOf(events: readonly PersonEvent[]): Array<{ kind: PersonEvent['kind']; row: ValidFeedbackRow }> {
  return events.flatMap((e) =>
    e.reports.map((recipientId, line) => ({
      kind: e.kind,
      row: { recipientId, mailingId: 'm1', listId: LISTS[e.list].listId, occurredAt: timeOf(e.second), category: '', line },
    })),
  );
}

/** One import of the rows, split into files of `size` rows (each file's rows per kind in one chunk); returns the rows counted. */
async function importRows(rows: ReturnType<typeof rowsOf>, size: number, ports: ApplyFeedbackPorts): Promise<number> {
  const tally = emptyTally();
  for (let at = 0; at < rows.length; at += size) {
    const file = rows.slice(at, at + size);
    for (const kind of ['bounce', 'unsubscribe'] as const) {
      await applyValidRows(
        kind,
        file.filter((r) => r.kind === kind).map((r) => r.row),
        ports,
        tally,
      );
    }
  }
  const { applied, handed, alreadyApplied, repeated, unknownRecipient, unknownEntity } = tally;
  return applied + handed + alreadyApplied + repeated + unknownRecipient + unknownEntity + rejectedRows(tally);
}

const scenario = aSentIdSet.chain((sentIds) =>
  fc.record({
    sentIds: fc.constant(sentIds),
    events: eventsOf(sentIds),
    size: fc.integer({ min: 1, max: 6 }),
    crash: fc.boolean(),
    replays: fc.integer({ min: 1, max: 2 }),
  }),
);

describe('feedback import: exactly once per person', () => {
  it('gives every sent person each of their events exactly once, across replays and a crash before the keys are recorded', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ sentIds, events, size, crash, replays }) => {
        const crm = idempotentCrm();
        const intake = memoryIntake();
        const ports = (runId: string, over: Partial<ApplyFeedbackPorts> = {}): ApplyFeedbackPorts => ({
          client: feedbackClient(),
          ledger: peopleLedger(sentIds),
          intake,
          crm,
          runId,
          nowMs: NOW,
          seen: new Set(),
          ...over,
        });
        const rows = rowsOf(events);
        if (crash) {
          // The first chunk's CRM write goes through, then the worker dies before its keys are recorded.
          const dying = { ...intake, recordAppliedKeys: () => Promise.reject(new Error('worker lost')) };
          await expect(importRows(rows, size, ports('run-crashed', { intake: dying }))).rejects.toThrow('worker lost');
        }
        for (let n = 0; n <= replays; n += 1) expect(await importRows(rows, size, ports(`run-${n}`))).toBe(rows.length);
        const expected = expectedWrites(events, sentIds, OPT_INS, timeOf);
        expect([...crm.applied].sort()).toEqual([...expected].sort());
        // Handed once each; after a crash the lost chunk's events once more, which the CRM answers `already`.
        for (const [, times] of crm.handed) expect(times).toBeLessThanOrEqual(crash ? 2 : 1);
      }),
      { numRuns: 300 },
    );
  });

  it('two people whose ids fold alike, with an unsubscribe in the same second, both get it', async () => {
    const sentIds = ['ABC1', '\uFF21\uFF22\uFF23\uFF11'];
    const crm = idempotentCrm();
    const tally = emptyTally();
    const rows = sentIds.map((recipientId, line) => ({
      recipientId,
      mailingId: 'm1',
      listId: 7,
      occurredAt: timeOf(0),
      category: '',
      line,
    }));
    const ports = {
      client: feedbackClient(),
      ledger: peopleLedger(sentIds),
      intake: memoryIntake(),
      crm,
      runId: 'r',
      nowMs: NOW,
      seen: new Set<string>(),
    };
    await applyValidRows('unsubscribe', rows, ports, tally);
    expect([...crm.applied].sort()).toEqual([`C0|unsubscribe|11|${timeOf(0)}`, `C1|unsubscribe|11|${timeOf(0)}`]);
    expect(tally).toMatchObject({ applied: 2, repeated: 0 });
  });
});

/** A key as an earlier version recorded it: kind, the id (folded, or before that as reported), list, time. */
const formerKey = (kind: string, id: string, listId: number, occurredAt: string) =>
  createHash('sha256').update(`${kind}\n${id}\n${listId}\n${occurredAt}`).digest('hex');

describe('feedback import: keys of earlier versions', () => {
  it('never applies again an event recorded under a former key layout', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.array(fc.constantFrom<'folded' | 'asReported'>('folded', 'asReported'), {
              minLength: s.events.length,
              maxLength: s.events.length,
            }),
            fc.array(fc.boolean(), { minLength: s.events.length, maxLength: s.events.length }),
          ),
        ),
        async ([{ sentIds, events, size }, layouts, before]) => {
          const crm = idempotentCrm();
          const intake = memoryIntake();
          // The events an earlier version applied: recorded under its key of the report it saw (before
          // the folding, the id as sent), and replayed as that report (the same file or page, read
          // again after the upgrade).
          const seenBefore = (e: PersonEvent, i: number) =>
            layouts[i] === 'folded' ? (e.reports[0] as string) : (sentIds[e.person] as string);
          const replayed = events.map((e, i) => (before[i] ? { ...e, reports: [seenBefore(e, i)] } : e));
          const earlier = replayed.flatMap((e, i) => {
            if (!before[i]) return [];
            const id = layouts[i] === 'folded' ? suppressionKey(e.reports[0] as string) : (e.reports[0] as string);
            return [formerKey(e.kind, id, LISTS[e.list].listId, timeOf(e.second))];
          });
          await intake.recordAppliedKeys('acme', earlier, 'run-before-upgrade');
          const ports = {
            client: feedbackClient(),
            ledger: peopleLedger(sentIds),
            intake,
            crm,
            runId: 'run-after-upgrade',
            nowMs: NOW,
            seen: new Set<string>(),
          };
          await importRows(rowsOf(replayed), size, ports);
          const applied = expectedWrites(
            replayed.filter((_, i) => before[i]),
            sentIds,
            OPT_INS,
            timeOf,
          );
          for (const write of applied) expect(crm.handed.has(write)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('whom a report written another way concerns', () => {
  const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
  const PADDING = ['', ' ', '\t', '\u00A0', '\u3000', '\uFEFF', '\r\n'];
  const ZERO_WIDTH = ['\u200B', '\u2060', '\u00AD', '\u200E'];

  it('finds the id it pads or splits with invisible characters, not a twin that folds alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        aSentIdSet.chain((sentIds) => {
          const plain = sentIds.filter((id) => !INVISIBLE.test(id));
          return fc.record({
            sentIds: fc.constant(sentIds),
            id: fc.constantFrom(...(plain.length > 0 ? plain : sentIds)),
            before: fc.constantFrom(...PADDING),
            after: fc.constantFrom(...PADDING),
            inside: fc.array(fc.option(fc.constantFrom(...ZERO_WIDTH), { nil: '' }), { minLength: 12, maxLength: 12 }),
          });
        }),
        async ({ sentIds, id, before, after, inside }) => {
          fc.pre(!INVISIBLE.test(id));
          const report = `${before}${[...id].map((ch, i) => ch + (inside[i % inside.length] as string)).join('')}${after}`;
          // A report that is, as written or trimmed, another person's sent id is that person (their id
          // holds the same invisible character): exact matches come first, rightly.
          fc.pre(!sentIds.some((other) => other !== id && (other === report || other === report.trim())));
          const ledger = peopleLedger(sentIds);
          const resolved = await resolveSentIds([report], (recipientIds) => ledger.sentEntitiesOf({ recipientIds }));
          expect(resolved.get(report)?.sentId).toBe(id);
        },
      ),
      { numRuns: 300 },
    );
  });
});
