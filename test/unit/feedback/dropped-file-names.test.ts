import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder } from '../../helpers/feedback-harness';

// A dropped file's kind comes from its name alone (an unsubscribe's scope is its list, a bounce's
// the whole client). A finished CSV file whose name speaks of unsubscribes or bounces without being
// named `unsubscribes*.csv` / `bounces*.csv` was left in the folder unread and unreported every day,
// and one speaking of both was read as bounces. Whatever the name, a file ends applied by the kind its
// name says, quarantined with a reason, or (not a CSV, nothing about feedback) left alone: never
// read as a guessed kind, never silently left when it reads as feedback.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const FILE = ['recipientId,mailingId,timestamp,recipientListId,category', 'sent-a@x.test,1,2026-11-29T10:00:00Z,7,', ''].join('\n');

/** A name built from parts an export job or a person may produce. */
const aName = fc
  .record({
    lead: fc.constantFrom('', ' ', '2026-12-01-', 'export_', '\u200b'),
    word: fc.constantFrom(
      'unsubscribes',
      'Unsubscribes',
      'unsubscribe',
      'UNSUBSCRIBED',
      'ｕｎｓｕｂｓｃｒｉｂｅｓ',
      'bounces',
      'Bounce',
      'bounced',
      'report',
      'bounces-and-unsubscribes',
      'unsubscribes_bounces',
    ),
    tail: fc.constantFrom('', '-1', ' (2)', '_2026'),
    ext: fc.constantFrom('.csv', '.CSV', '.csv ', '.csv.part', '.txt', '.tmp'),
  })
  .map(({ lead, word, tail, ext }) => `${lead}${word}${tail}${ext}`);

const folded = (name: string) =>
  name
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .toLowerCase();
/** The model: what the import must do with a name (sharing no code with it). */
function expected(name: string): 'bounce' | 'unsubscribe' | 'quarantined' | 'left' {
  const f = folded(name);
  if (!f.endsWith('.csv')) return 'left';
  const [b, u] = [f.includes('bounce'), f.includes('unsub')];
  if (b && u) return 'quarantined';
  if (b) return /^bounces.*\.csv$/i.test(name) ? 'bounce' : 'quarantined';
  if (u) return /^unsubscribes.*\.csv$/i.test(name) ? 'unsubscribe' : 'quarantined';
  return 'left';
}

describe('dropped feedback file names', () => {
  it('applies a file by the kind its exact name says, quarantines a near miss or a name of both kinds, leaves the rest', async () => {
    await fc.assert(
      fc.asyncProperty(aName, async (name) => {
        const dir = mkdtempSync(join(tmpdir(), 'cs-dropped-names-'));
        const folder = join(dir, 'drop');
        mkdirSync(folder);
        writeFileSync(join(folder, name), FILE);
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const result = await importDroppedFolder({ folder, store, runDir: join(dir, 'run'), runId: 'n1', nowMs: NOW });
          const outcome = expected(name);
          const quarantined = existsSync(join(folder, 'quarantine')) ? readdirSync(join(folder, 'quarantine')) : [];
          if (outcome === 'quarantined') {
            expect(result.dropped.quarantined).toEqual([{ name, reason: expect.stringMatching(/name/) }]);
            expect(quarantined).toContain(name);
          } else expect(result.dropped.quarantined).toEqual([]);
          expect(result.dropped.processed).toEqual(outcome === 'bounce' || outcome === 'unsubscribe' ? [name] : []);
          expect(result.bounces.rows).toBe(outcome === 'bounce' ? 1 : 0);
          expect(result.unsubscribes.rows).toBe(outcome === 'unsubscribe' ? 1 : 0);
          if (outcome === 'left') expect(readdirSync(folder)).toContain(name);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 120 },
    );
  });
});
