import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { DEMO_ATTRIBUTES, DEMO_LISTS, demoSelectionQuery } from '../../src/demo/demo-lists';
import type { DemoConfigObject, SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// The story as a new user meets it: the CRM drops an export file per list with its own column names
// (`opt-in-id`, `media-type`, ... and no recipient id column) and one line with a stray quote. Day 1
// fills the list; day 2 one contact's first name carries a backspace. The list is ready with
// everyone both days; the stray line is one malformed row, the backspace is stripped.

/** The file's column names for ours; the address doubles as the recipient id. */
const FILE_NAMES: Record<string, string> = {
  email: 'E-Mail',
  opt_in_id: 'opt-in-id',
  media_type: 'media-type',
  entity_type: 'entity-type',
  entity_id: 'entity-id',
};
const COLUMNS = Object.fromEntries(Object.entries(FILE_NAMES).map(([ours, theirs]) => [theirs, ours]));
const STRAY_QUOTE_LINE = 'jane.doe@example.com,jane.doe@example.com "x",11,Newsletter,email,contact,C-JANE,,Jane,Doe,Berlin,0,0';

function writeExchangeFile(crmFile: string, file: string, listIndex: number, poison?: { entityId: string }): void {
  const db = new Database(crmFile, { readonly: true });
  const rows = db.prepare(demoSelectionQuery(DEMO_LISTS[listIndex]!)).all() as Array<Record<string, unknown>>;
  db.close();
  const header = Object.keys(rows[0]!).filter((c) => c !== 'recipient_id');
  const data = rows.map((row) =>
    header.map((c) =>
      poison && c === 'first_name' && row.entity_type === 'contact' && String(row.entity_id) === poison.entityId ? 'An\u0008na' : row[c],
    ),
  );
  const text = stringify([header.map((c) => FILE_NAMES[c] ?? c), ...data]);
  writeFileSync(file, `${text}${STRAY_QUOTE_LINE}\n`);
}

describe('sendability with a CSV exchange CRM using its own column names', () => {
  let dir = '';
  const files = () => DEMO_LISTS.map((list) => join(dir, `${list.listKey}.csv`));
  const adjust = (raw: DemoConfigObject) => {
    // The stack's own temporary folder (dataDir is <folder>/data), removed with the stack.
    dir = String(raw.dataDir).replace(/\/data$/, '');
    files().forEach((file, i) => writeExchangeFile(raw.crm.file, file, i));
    const list = (file: string) => ({ file, attributes: { ...DEMO_ATTRIBUTES }, columns: COLUMNS });
    raw.crm = { kind: 'csv', outbox: join(dir, 'outbox'), lists: { newsletter: list(files()[0]!), offers: list(files()[1]!) } };
  };
  const shared = useSyncStack({ title: 'sendability csv', contacts: 1200, adjust });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  const lastListRun = async () =>
    (await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 }))[0]!;

  it('maps the columns, takes the address as recipient id and costs the stray-quote line one malformed row', async () => {
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter?.state).toBe('ready');
    const run = await lastListRun();
    expect(run.counts).toMatchObject({ 'excluded.malformed_row': 1 });
    expect(run.counts.rowsRead).toBe(
      (run.counts.exported ?? 0) +
        Object.entries(run.counts)
          .filter(([k]) => k.startsWith('excluded.'))
          .reduce((n, [, v]) => n + v, 0),
    );
    const malformed = [];
    for await (const entry of stack.deps.store.ledger.stream(run.runId, { listKey: 'newsletter' }))
      if ('reason' in entry && entry.reason === 'malformed_row') malformed.push(entry);
    expect(malformed).toEqual([
      expect.objectContaining({ recipientId: '', field: expect.stringMatching(/^line \d+ \(quote_in_unquoted_field\)$/) }),
    ]);
    expect(JSON.stringify(malformed)).not.toMatch(/jane/i);
    const recipients = await stack.listRecipients('newsletter');
    expect(recipients.length).toBe(status.lists.newsletter?.verifiedCount);
    expect(recipients.every((r) => r.recipientId.includes('@'))).toBe(true);
  }, 120_000);

  it('refills everyone the next day though one first name holds a backspace', async () => {
    const yesterday = (await stack.listRecipients('newsletter')).map((r) => r.recipientId).sort();
    const contact = (await stack.listRecipients('newsletter')).find((r) => r.attributes['entity-type'] === 'contact')!;
    writeExchangeFile(stack.crmFile, files()[0]!, 0, { entityId: String(contact.attributes['entity-id']) });

    const { status } = await stack.runDaily();

    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: yesterday.length });
    const recipients = await stack.listRecipients('newsletter');
    expect(recipients.map((r) => r.recipientId).sort()).toEqual(yesterday);
    expect(recipients.find((r) => r.recipientId === contact.recipientId)?.attributes.firstname).toBe('Anna');
    expect((await lastListRun()).counts).toMatchObject({ 'sanitized.first_name': 1, 'excluded.malformed_row': 1 });
  }, 120_000);
});
