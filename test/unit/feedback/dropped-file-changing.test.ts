import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CHANGING_POLLS, CHANGING_SPAN_MS } from '../../../src/feedback/changing-files';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped file that changed on every poll (a job that rewrites it each time, or never stops
// appending) was left in the folder for ever, reported only as "still being written". Now it is
// quarantined once it was found changing on CHANGING_POLLS polls over at least CHANGING_SPAN_MS, with
// a reason that says so; no copy read while the file changed is applied, a copy that stayed whole is
// applied whole (every row once), and a file that stops changing before the bound is processed.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category\n';
const MINUTE = 60 * 1000;

/** Version `v` of the file: its own people (`sent-v<v>-<i>@x.test`), whole lines. */
const version = (v: number, rows: number) =>
  HEADER + Array.from({ length: rows }, (_, i) => `sent-v${v}-${i}@x.test,1,2026-11-29T10:00:00Z,7,\n`).join('');

/** When the job writes the next version: after the copy was taken (before it is read), or while its rows are applied. */
type Moment = 'before-read' | 'during-apply';

describe('a dropped file that keeps changing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-changing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('is quarantined after a bounded number of polls and time, with the reason; nothing torn applied, nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Moment>('before-read', 'during-apply'),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 5, max: 90 }),
        fc.integer({ min: 0, max: 8 }),
        async (moment, rows, minutes, stopsAfter) => {
          const here = join(dir, `case-${++n}`);
          const folder = join(here, 'drop');
          mkdirSync(folder, { recursive: true });
          const file = join(folder, 'unsubscribes-1.csv');
          let v = 1;
          writeFileSync(file, version(v, rows));
          // The job rewrites the file on each of the first `stopsAfter` polls, then leaves it.
          let poll = 0;
          const rewrite = () => {
            if (poll <= stopsAfter && existsSync(file)) writeFileSync(file, version(++v, rows + (v % 2)));
          };
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          const crm = recordingCrm();
          const applyFeedback = crm.applyFeedback;
          crm.applyFeedback = async (events) => {
            if (moment === 'during-apply') rewrite();
            return applyFeedback(events);
          };
          const intake = store.feedbackIntake;
          const wrapped = { ...intake, file: async (c: string, s: string) => (moment === 'before-read' && rewrite(), intake.file(c, s)) };
          // The first poll that may quarantine it: the bound's polls, spanning the bound's time.
          const bound = Math.max(CHANGING_POLLS, 1 + Math.ceil(CHANGING_SPAN_MS / (minutes * MINUTE)));
          try {
            const reports = [];
            for (poll = 1; poll <= 12 && existsSync(file); poll++) {
              const result = await importDroppedFolder({
                folder,
                store,
                crm,
                intake: wrapped,
                runDir: join(here, `run-${poll}`),
                runId: `r${poll}`,
                nowMs: NOW + (poll - 1) * minutes * MINUTE,
              });
              reports.push(result.dropped);
            }
            const quarantinedAt = reports.findIndex((r) => r.quarantined.length > 0) + 1;
            const processedAt = reports.findIndex((r) => r.processed.length > 0) + 1;
            expect(existsSync(file)).toBe(false);
            if (stopsAfter >= bound) {
              // Changing on every poll up to the bound: set aside then, with the reason.
              expect(quarantinedAt).toBe(bound);
              expect(processedAt).toBe(0);
              expect(reports[bound - 1]!.quarantined).toEqual([
                {
                  name: 'unsubscribes-1.csv',
                  reason: expect.stringMatching(new RegExp(`^the file changed while it was read on each of ${bound} polls since `)),
                },
              ]);
              expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual(['unsubscribes-1.csv', 'unsubscribes-1.csv.reason.txt']);
            } else {
              // It stopped changing first: processed, never quarantined.
              expect(quarantinedAt).toBe(0);
              expect(processedAt).toBe(stopsAfter + 1);
            }
            for (const [i, report] of reports.entries())
              if (i + 1 < Math.min(quarantinedAt || 99, processedAt || 99)) expect(report.changing).toEqual(['unsubscribes-1.csv']);
            // Its note is forgotten once the file is done with.
            expect(existsSync(join(folder, 'changing')) ? readdirSync(join(folder, 'changing')) : []).toEqual([]);
            // Every event is a whole row of one version (a copy taken whole), applied once.
            const ids = crm.events.map((e) => e.recipientId);
            expect(new Set(ids).size).toBe(ids.length);
            for (const id of ids) expect(id).toMatch(/^sent-v\d+-\d+@x\.test$/);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
