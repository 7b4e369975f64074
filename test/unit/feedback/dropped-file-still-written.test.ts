import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FeedbackEvent } from '../../../src/crm/crm-port';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// An export job may still be writing a file when the folder is read. Whatever it appends after the
// copy was taken must not be moved into processed/ unread (lost), and a line cut short must not be
// applied as a row. Every row the job wrote ends up applied exactly once, over the nights it takes.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category\n';
const line = (i: number, list: 0 | 7) => `sent-${i}@x.test,1,2026-11-29T10:${String(i).padStart(2, '0')}:00Z,${list},\n`;

/**
 * When the job writes the rest of the file: while the copy's rows are applied, or after the copy was
 * taken and before it is read. (Bytes appended after the move go into the moved file: no reader can
 * see those; an export job that writes in place must finish within a run's interval.)
 */
type Moment = 'during-apply' | 'before-read';

const aDrop = fc.record({
  lists: fc.array(fc.constantFrom<0 | 7>(0, 7), { minLength: 1, maxLength: 8 }),
  cut: fc.nat(),
  moment: fc.constantFrom<Moment>('during-apply', 'before-read'),
});

describe('a dropped file still being written', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-still-written-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is left in the folder until it stops changing: every row applied once, none lost, no cut line applied', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(aDrop, async ({ lists, cut, moment }) => {
        const here = join(dir, `case-${++n}`);
        const folder = join(here, 'drop');
        mkdirSync(folder, { recursive: true });
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const text = HEADER + lists.map((list, i) => line(i, list)).join('');
        // The job has written the header and some bytes, possibly ending inside a line; when it goes
        // on during the apply, at least one whole row (else there is nothing to apply).
        const start = HEADER.length + (moment === 'during-apply' ? line(0, lists[0]!).length : 0);
        const written = start + (cut % (text.length - start + 1));
        const file = join(folder, 'unsubscribes-1.csv');
        writeFileSync(file, text.slice(0, written));
        let rest: string | undefined = text.slice(written);
        const finish = () => {
          if (rest !== undefined) appendFileSync(file, rest);
          rest = undefined;
        };
        const crm = recordingCrm();
        const applyFeedback = crm.applyFeedback;
        crm.applyFeedback = async (events) => {
          if (moment === 'during-apply') finish();
          return applyFeedback(events);
        };
        const events: FeedbackEvent[] = crm.events;
        try {
          for (let night = 1; night <= 3; night++) {
            const intake = store.feedbackIntake;
            const wrapped =
              moment === 'before-read' ? { ...intake, file: async (c: string, s: string) => (finish(), intake.file(c, s)) } : intake;
            await importDroppedFolder({
              folder,
              store,
              crm,
              intake: wrapped,
              runDir: join(here, 'runs', `n${night}`),
              runId: `n${night}`,
              nowMs: NOW,
            });
            if (!existsSync(file)) break;
          }
          finish();
          expect(existsSync(file)).toBe(false);
          expect(readdirSync(join(folder, 'processed'))).toEqual(['unsubscribes-1.csv']);
          const expected = lists.flatMap((list, i) =>
            list === 0 ? [`sent-${i}@x.test:11`, `sent-${i}@x.test:12`] : [`sent-${i}@x.test:11`],
          );
          expect(events.map((e) => `${e.recipientId}:${e.optInId}`).sort()).toEqual(expected.sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
