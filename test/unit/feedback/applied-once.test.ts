import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyFeedbackFile, emptyTally } from '../../../src/feedback/apply-feedback-file';
import { rejectedRows } from '../../../src/feedback/feedback-tally';
import { applyPorts, memoryIntake, recordingCrm } from '../../helpers/feedback-harness';

// Once, over hostile files: the same events dropped in several files (duplicate rows, the file
// dropped again with one byte changed: CRLF, a blank, another zone offset for the same instant) and
// read by several imports. Each event reaches the CRM at most once per entity and consent, and every
// row of every file is counted exactly once. (Two events of one person at one instant, say client-wide
// and from one list, are distinct events; the generator keeps instants apart per person.)

const NOW = Date.parse('2026-11-30T06:00:00Z');

const anEvent = fc.record({
  who: fc.constantFrom('sent-anna@x.de', 'sent-bob@x.de', 'never@x.de'),
  listId: fc.constantFrom(0, 7, 8),
  ms: fc.integer({ min: NOW - 10 * 86_400_000, max: NOW }).map((ms) => ms - (ms % 1000)),
});
type Event = { who: string; listId: number; ms: number };

/** The event written as a row: its instant in some zone offset, cells maybe padded. */
const aRow = (e: Event) =>
  fc.record({ offset: fc.integer({ min: -14, max: 14 }), pad: fc.constantFrom('', ' ') }).map(({ offset, pad }) => {
    const local = new Date(e.ms + offset * 3_600_000).toISOString().slice(0, 19);
    const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${String(Math.abs(offset)).padStart(2, '0')}:00`;
    return `${pad}${e.who}${pad},m1,${local}${zone},${pad}${String(e.listId).padStart(pad ? 3 : 1, '0')},`;
  });

const aFile = (events: Event[]) =>
  fc
    .tuple(
      fc
        .array(fc.integer({ min: 0, max: Math.max(0, events.length - 1) }), { maxLength: 12 })
        .chain((picks) => fc.tuple(...picks.map((i) => aRow(events[i]!)))),
      fc.constantFrom('\n', '\r\n'),
      fc.array(fc.constantFrom('garbage,line', 'x,m1,2026-02-30T10:00:00Z,7,', 'x,m1,2026-11-01T10:00:00Z,abc,'), { maxLength: 2 }),
    )
    .map(([rows, eol, junk]) => ['recipientId,mailingId,timestamp,recipientListId,category', ...rows, ...junk].join(eol) + eol);

describe('feedback files applied once', () => {
  it('applies each event at most once per entity and consent, and counts every row once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'applied-once-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc
            .uniqueArray(anEvent, { minLength: 1, maxLength: 5, selector: (e) => `${e.who}|${e.ms}` })
            .chain((events) =>
              fc.tuple(
                fc.constant(events),
                fc.array(fc.array(aFile(events), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
              ),
            ),
          async ([, imports]) => {
            const intake = memoryIntake();
            const crm = recordingCrm();
            let rows = 0;
            let counted = 0;
            for (const [n, files] of imports.entries()) {
              const ports = applyPorts({ intake, crm, runId: `run-${n}`, nowMs: NOW, seen: new Set() });
              for (const [k, text] of files.entries()) {
                const path = join(dir, `unsubscribes-${n}-${k}.csv`);
                writeFileSync(path, text);
                const tally = emptyTally();
                await applyFeedbackFile(path, 'unsubscribe', ports, tally);
                rows += text.split(/\r?\n/).length - 2;
                counted +=
                  tally.applied +
                  tally.handed +
                  tally.alreadyApplied +
                  tally.repeated +
                  tally.unknownRecipient +
                  tally.unknownEntity +
                  rejectedRows(tally);
              }
            }
            expect(counted).toBe(rows);
            const applications = crm.events.map((e) => `${e.recipientId}|${e.entityId}|${e.optInId}|${e.occurredAt}`);
            expect(new Set(applications).size).toBe(applications.length);
            for (const e of crm.events) expect(e.recipientId.startsWith('sent-')).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
