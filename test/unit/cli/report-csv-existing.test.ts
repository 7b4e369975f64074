import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { LEDGER_CSV_COLUMNS } from '../../../src/cli/ledger-csv';
import { EXIT } from '../../../src/cli/exit-codes';
import { shownInput, SHOWN_PATH_MAX } from '../../../src/errors/quoted-text';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';
import { aRun, aSent } from '../../helpers/store-builders';

// `report <run> --csv <file>` wrote over whatever the path held, silently: a ledger export of last
// week, a file someone else keeps, what a link points to. Now a path that exists (a file, a folder, a
// link, even one pointing nowhere) is refused as a usage error naming it, its bytes untouched, unless
// `--force` is given; a new path is written as before.

const { cli, path } = useCliOnDemoStore('cli-report-csv', async (store) => {
  await store.runs.upsert(aRun({ client: 'demo', status: 'completed', counts: { exported: 1 } }));
  await store.ledger.record([aSent('anna@example.com', 0)]);
});

const HEADER = LEDGER_CSV_COLUMNS.join(',');

/** A file name: one path component, any characters a file system takes in one (no `/`, no NUL). */
const aName = fc
  .oneof(
    fc.string({ unit: fc.constantFrom('a', '.', ' ', '-', '\n', '\u202e', 'é', '\u001b'), minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  )
  .filter((name) => !name.includes('/') && !name.includes('\u0000') && name !== '.' && name !== '..' && Buffer.byteLength(name) <= 200);

let n = 0;

describe('report --csv to a path that exists', () => {
  it('is refused as a usage error naming the path, the file untouched; --force overwrites it', async () => {
    await fc.assert(
      fc.asyncProperty(aName, fc.uint8Array({ maxLength: 64 }), async (name, bytes) => {
        const file = path(`case-${++n}-${name}`);
        writeFileSync(file, bytes);
        try {
          const refused = await cli(['report', 'run-1', '--csv', file]);
          expect(refused.code).toBe(EXIT.usage);
          expect(refused.err.split('\n')[0]).toBe(
            `campaign-sync: report: --csv: ${shownInput(file, SHOWN_PATH_MAX)} exists; name a new file, or add --force to overwrite it`,
          );
          expect(refused.out).toBe('');
          expect(readFileSync(file)).toEqual(Buffer.from(bytes));

          const forced = await cli(['report', 'run-1', '--csv', file, '--force']);
          expect(forced.code).toBe(EXIT.ok);
          expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(HEADER);
        } finally {
          rmSync(file, { force: true });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a link, even one pointing nowhere, and creates nothing where it points', async () => {
    const target = path('link-target.csv');
    const link = path('link.csv');
    symlinkSync(target, link);
    const refused = await cli(['report', 'run-1', '--csv', link]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain(`${link} exists`);
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a folder', async () => {
    const refused = await cli(['report', 'run-1', '--csv', path('')]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain('exists; name a new file');
  });

  it('writes a path that does not exist, and refuses --force without --csv', async () => {
    const file = path('new-ledger.csv');
    const written = await cli(['report', 'run-1', '--csv', file]);
    expect(written.code).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(HEADER);
    const lone = await cli(['report', 'run-1', '--force']);
    expect(lone.code).toBe(EXIT.usage);
    expect(lone.err).toContain('--force goes with --csv');
  });
});
