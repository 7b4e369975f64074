import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIST_IDS, type SimRecipient, type SyncStack } from '../helpers/sync-stack';
import { newsletterConsent } from '../helpers/crm-consent';
import { useSyncStack } from '../helpers/workflow-test-env';

const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';

describe('dailySyncWorkflow with a feedback folder', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cs-drop-folder-'));
  const shared = useSyncStack({ title: 'dropped files', adjust: (raw) => (raw.clients[0].feedbackFolder = folder) });
  let stack: SyncStack;
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeAll(() => {
    stack = shared.stack;
  });

  const unsubscribe = (r: SimRecipient, header = HEADER) =>
    `${header}\n${r.recipientId},,${new Date(Date.now() - 60_000).toISOString()},${LIST_IDS.newsletter},\n`;
  const consent = (r: SimRecipient) => newsletterConsent(stack.crmFile, r);

  it('applies a good file once, quarantines its malformed twin, a misnamed one, a FIFO and a symlink, and reads a re-dropped file never again', async () => {
    await stack.runDaily();
    const [leaver, twin, linked] = await stack.listRecipients('newsletter');
    if (!leaver || !twin || !linked) throw new Error('the first run filled no list');
    const good = unsubscribe(leaver);
    writeFileSync(join(folder, 'unsubscribes-good.csv'), good);
    writeFileSync(join(folder, 'unsubscribes-twin.csv'), unsubscribe(twin, HEADER.replace('recipientListId', 'listId')));
    // A near miss of the name: never read as a guessed kind, never left unread without a word.
    writeFileSync(join(folder, 'unsubscribe-twin.csv'), unsubscribe(twin));
    execFileSync('mkfifo', [join(folder, 'bounces-fifo.csv')]);
    const outside = join(stack.dir, 'outside.csv');
    writeFileSync(outside, unsubscribe(linked));
    symlinkSync(outside, join(folder, 'unsubscribes-link.csv'));
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 1);

    const second = (await stack.runDaily()).status;
    clearInterval(timer);

    expect(turns).toBeGreaterThan(0);
    expect(second.feedback?.dropped).toEqual({
      processed: ['unsubscribes-good.csv'],
      duplicates: [],
      quarantined: [
        { name: 'bounces-fifo.csv', reason: 'not a regular file (FIFO); not read' },
        { name: 'unsubscribe-twin.csv', reason: expect.stringContaining('reads as an unsubscribes file') },
        { name: 'unsubscribes-link.csv', reason: 'not a regular file (symbolic link); not read' },
        { name: 'unsubscribes-twin.csv', reason: expect.stringContaining('missing "recipientListId"') },
      ],
      changing: [],
      counts: { processed: 1, duplicates: 0, quarantined: 4, changing: 0 },
    });
    expect(readdirSync(join(folder, 'quarantine')).filter((n) => n.endsWith('.reason.txt'))).toHaveLength(4);
    expect(lstatSync(join(folder, 'quarantine', 'bounces-fifo.csv')).isFIFO()).toBe(true);
    expect([consent(leaver), consent(twin), consent(linked)]).toEqual(['withdrawn', 'granted', 'granted']);
    expect((await stack.listRecipients('newsletter')).map((r) => r.recipientId)).not.toContain(leaver.recipientId);

    writeFileSync(join(folder, 'unsubscribes-good-again.csv'), good);
    writeFileSync(join(folder, 'unsubscribes-twin-fixed.csv'), unsubscribe(twin));
    const third = (await stack.runDaily()).status;
    expect(third.feedback?.dropped).toEqual({
      processed: ['unsubscribes-twin-fixed.csv'],
      duplicates: ['unsubscribes-good-again.csv'],
      quarantined: [],
      changing: [],
      counts: { processed: 1, duplicates: 1, quarantined: 0, changing: 0 },
    });
    expect(third.feedback).toMatchObject({ applied: 1 });
    expect([consent(leaver), consent(twin), consent(linked)]).toEqual(['withdrawn', 'withdrawn', 'granted']);
  });
});
