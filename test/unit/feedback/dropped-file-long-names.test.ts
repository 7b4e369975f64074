import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped file's name may use all 255 bytes a file system allows; the import names its copy
// `dropped-<name>`, the rejected lines `<copy>.rejected.csv`, and a quarantined file's reason
// `<name>.reason.txt` (with `.2` when the name was taken). Those failed with ENAMETOOLONG and failed
// the whole import, every run, so no later file's opt-outs were applied. Whatever its name, each file
// now ends processed (its rows applied) or quarantined with its reason.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const GOOD = 'recipientId,mailingId,timestamp,recipientListId,category\nsent-1@x.test,1,2026-11-29T10:15:00Z,7,hardbounce\nx,1,nope,7,\n';
const BAD = 'recipientId,mailingId,timestamp,listId,category\nsent-2@x.test,1,2026-11-29T10:15:00Z,7,hardbounce\n';

/** A name of up to 255 bytes in UTF-8: `bounces` or `unsubscribes`, then one- to four-byte characters, then `.csv`. */
const aName = fc
  .tuple(fc.constantFrom('bounces', 'unsubscribes'), fc.array(fc.constantFrom('x', '-', 'ü', '€', '😀'), { maxLength: 240 }))
  .map(([kind, chars]) => {
    let name = kind;
    for (const ch of chars) if (Buffer.byteLength(`${name}${ch}.csv`) <= 255) name += ch;
    return `${name}.csv`;
  });

describe('dropped files with long names', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-long-names-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are each processed or quarantined with a reason, and the import finishes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(aName, fc.boolean()), { minLength: 1, maxLength: 4, selector: ([name]) => name }),
        async (files) => {
          const sub = mkdtempSync(join(dir, 'case-'));
          const folder = join(sub, 'drop');
          mkdirSync(folder);
          // The same bytes twice would be one file seen before: each file's rows name it.
          files.forEach(([name, good], i) =>
            writeFileSync(join(folder, name), (good ? GOOD : BAD) + `sent-${i}@x.test,1,2026-11-29T11:00:00Z,8,softbounce\n`),
          );
          // And one file quarantined twice over under one long name (the second gets a suffix).
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          const crm = recordingCrm();
          try {
            for (const night of [1, 2]) {
              if (night === 2)
                files.filter(([, good]) => !good).forEach(([name], i) => writeFileSync(join(folder, name), `${BAD}again-${i}\n`));
              const result = await importDroppedFolder({
                folder,
                store,
                crm,
                runDir: join(sub, `run-${night}`),
                runId: `r${night}`,
                nowMs: NOW,
              });
              const expected = night === 1 ? files : files.filter(([, good]) => !good);
              expect(result.dropped.processed.sort()).toEqual(
                expected
                  .filter(([, good]) => good)
                  .map(([name]) => name)
                  .sort(),
              );
              expect(result.dropped.quarantined.map((q) => q.name).sort()).toEqual(
                expected
                  .filter(([, good]) => !good)
                  .map(([name]) => name)
                  .sort(),
              );
            }
            const quarantine = join(folder, 'quarantine');
            const reasons = existsSync(quarantine) ? readdirSync(quarantine).filter((f) => f.endsWith('.reason.txt')) : [];
            const bad = files.filter(([, good]) => !good);
            expect(reasons).toHaveLength(bad.length * 2);
            const named = reasons.map((f) => readFileSync(join(quarantine, f), 'utf8')).join('\n');
            for (const [name] of bad) expect(named).toContain(JSON.stringify(name));
            expect(readdirSync(folder).filter((f) => f !== 'quarantine' && f !== 'processed')).toEqual([]);
            expect(crm.events.some((e) => e.recipientId === 'sent-1@x.test')).toBe(files.some(([, good]) => good));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
