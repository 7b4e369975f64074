import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStateStore, type StateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';
const GOOD = [HEADER, 'sent-a@x.test,1,2026-11-29T10:00:00.000+00:00,7,', 'sent-b@x.test,1,2026-11-29T11:00:00Z,0,', ''].join('\n');

describe('dropped feedback files', () => {
  let dir: string;
  let folder: string;
  let store: StateStore;
  let crm: ReturnType<typeof recordingCrm>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-dropped-'));
    folder = join(dir, 'drop');
    mkdirSync(folder);
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    crm = recordingCrm();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const night = (runId: string, over: Record<string, unknown> = {}, intake = store.feedbackIntake) =>
    importDroppedFolder({ folder, store, crm, intake, client: over, runDir: join(dir, 'runs', runId), runId, nowMs: NOW });
  const names = (sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);

  it('quarantines a file whose header is not the documented one, with a reason beside it, and processes its good twin once', async () => {
    writeFileSync(join(folder, 'unsubscribes-bad.csv'), GOOD.replace('recipientListId', 'listId'));
    writeFileSync(join(folder, 'unsubscribes-good.csv'), GOOD);
    const first = await night('n1');
    expect(first.dropped).toEqual({
      processed: ['unsubscribes-good.csv'],
      duplicates: [],
      quarantined: [{ name: 'unsubscribes-bad.csv', reason: expect.stringContaining('missing "recipientListId"') }],
      changing: [],
    });
    expect(names('quarantine')).toEqual(['unsubscribes-bad.csv', 'unsubscribes-bad.csv.reason.txt']);
    expect(readFileSync(join(folder, 'quarantine', 'unsubscribes-bad.csv.reason.txt'), 'utf8')).toContain('unexpected "listId"');
    expect(names('processed')).toEqual(['unsubscribes-good.csv']);
    // The good rows: list 7 withdraws consent 11 only; list 0 withdraws both.
    expect(crm.events.map((e) => `${e.recipientId}:${e.optInId}`).sort()).toEqual([
      'sent-a@x.test:11',
      'sent-b@x.test:11',
      'sent-b@x.test:12',
    ]);
    await night('n2');
    expect(crm.events).toHaveLength(3);
  });

  it('applies a file once when the same bytes are dropped again under another name', async () => {
    writeFileSync(join(folder, 'unsubscribes-1.csv'), GOOD);
    expect((await night('n1')).unsubscribes).toMatchObject({ rows: 2, applied: 2 });
    writeFileSync(join(folder, 'unsubscribes-1-copy.csv'), GOOD);
    writeFileSync(join(folder, 'unsubscribes-1.csv'), GOOD);
    const again = await night('n2');
    expect(again.dropped.duplicates.sort()).toEqual(['unsubscribes-1-copy.csv', 'unsubscribes-1.csv']);
    expect(again.unsubscribes.rows).toBe(0);
    expect(crm.events).toHaveLength(3);
    expect(names('processed')).toEqual(['unsubscribes-1-copy.csv', 'unsubscribes-1.csv', 'unsubscribes-1.csv.2']);
    expect(
      await store.feedbackIntake.file('acme', (await import('node:crypto')).createHash('sha256').update(GOOD).digest('hex')),
    ).toMatchObject({ status: 'processed', runId: 'n1', name: 'unsubscribes-1.csv' });
  });

  it('leaves a file in the folder when the attempt dies after applying it; the retry applies none of its rows again', async () => {
    writeFileSync(join(folder, 'unsubscribes-1.csv'), GOOD);
    const dying = { ...store.feedbackIntake, recordFile: async () => Promise.reject(new Error('worker lost')) };
    await expect(night('n1', {}, dying)).rejects.toThrow('worker lost');
    expect(readdirSync(folder)).toContain('unsubscribes-1.csv');
    expect(crm.events).toHaveLength(3);
    const retry = await night('n1');
    expect(retry.unsubscribes).toMatchObject({ rows: 2, applied: 0, repeated: 2 });
    expect(retry.dropped.processed).toEqual(['unsubscribes-1.csv']);
    expect(crm.events).toHaveLength(3);
  });

  it('refuses a FIFO, a symlink and a directory without reading them, while the event loop keeps turning', async () => {
    const outside = join(dir, 'secret.csv');
    writeFileSync(outside, GOOD);
    symlinkSync(outside, join(folder, 'unsubscribes-link.csv'));
    execFileSync('mkfifo', [join(folder, 'bounces-fifo.csv')]);
    mkdirSync(join(folder, 'bounces-dir.csv'));
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns += 1;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const result = await night('n1');
    spinning = false;
    expect(turns).toBeGreaterThan(0);
    expect(result.dropped.quarantined.map((q) => `${q.name}: ${q.reason}`).sort()).toEqual([
      'bounces-dir.csv: not a regular file (directory); not read',
      'bounces-fifo.csv: not a regular file (FIFO); not read',
      'unsubscribes-link.csv: not a regular file (symbolic link); not read',
    ]);
    expect(crm.events).toEqual([]);
    expect(lstatSync(join(folder, 'quarantine', 'unsubscribes-link.csv')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(folder, 'quarantine', 'bounces-fifo.csv')).isFIFO()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe(GOOD);
  });

  it('reads a renamed list-id column through the client mapping and rejects rows it cannot scope', async () => {
    writeFileSync(
      join(folder, 'unsubscribes-mapped.csv'),
      [
        HEADER.replace('recipientListId', 'listId'),
        'sent-a@x.test,1,2026-11-29T10:00:00Z,8,',
        'sent-b@x.test,1,2026-11-29T10:00:00Z,abc,',
        'sent-b@x.test,1,2026-11-29T10:00:00Z,,',
        'sent-b@x.test,1,yesterday,7,',
        '',
      ].join('\r\n'),
    );
    const result = await night('n1', { feedbackColumns: { recipientListId: 'listId' } });
    expect(result.unsubscribes).toMatchObject({ rows: 4, applied: 1, rejected: { invalid_list_id: 2, invalid_timestamp: 1 } });
    expect(crm.events.map((e) => `${e.recipientId}:${e.optInId}`)).toEqual(['sent-a@x.test:12']);
    expect(
      readFileSync(join(dir, 'runs', 'n1', 'dropped-unsubscribes-mapped.csv.rejected.csv'), 'utf8')
        .split('\n')
        .slice(0, 4),
    ).toEqual([
      'line,reason,detail',
      '3,invalid_list_id,"recipientListId is not a non-negative integer"',
      '4,invalid_list_id,"recipientListId is not a non-negative integer"',
      '5,invalid_timestamp,"timestamp not an ISO 8601 time with seconds and zone"',
    ]);
  });

  it('quarantines a file that is not UTF-8 or holds a record over the size bound, applying none of its rows', async () => {
    writeFileSync(
      join(folder, 'unsubscribes-latin1.csv'),
      Buffer.concat([Buffer.from(`${HEADER}\nsent-a@x.test,1,2026-11-29T10:00:00Z,7,J`), Buffer.from([0xfc]), Buffer.from('rgen\n')]),
    );
    writeFileSync(
      join(folder, 'unsubscribes-huge.csv'),
      `${HEADER}\nsent-a@x.test,1,2026-11-29T10:00:00Z,7,ok\nsent-b@x.test,"${'x'.repeat(70_000)}",2026-11-29T10:00:00Z,7,\n`,
    );
    const result = await night('n1');
    expect(result.dropped.quarantined).toEqual([
      { name: 'unsubscribes-huge.csv', reason: 'a record is longer than 65536 bytes' },
      {
        name: 'unsubscribes-latin1.csv',
        reason: expect.stringMatching(/^the file is not UTF-8: byte 0xFC at line 2 .*Windows-1252 or ISO-8859-1.*expected UTF-8/),
      },
    ]);
    expect(crm.events).toEqual([]);
  });

  it('hands rows to a CSV-exchange CRM and says so instead of applied', async () => {
    crm = recordingCrm('handed');
    writeFileSync(join(folder, 'unsubscribes-1.csv'), GOOD);
    expect((await night('n1')).unsubscribes).toMatchObject({ applied: 0, handed: 2 });
  });
});
