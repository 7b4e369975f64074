import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import type { CrmEventResults, FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { DEFAULT_STATEMENTS, type DefaultStatementName } from '../../../src/crm/sql/default-statements';
import { bindValues, compileNamedParameters } from '../../../src/crm/sql/named-parameters';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { demoCrmLists } from '../../../src/demo/demo-lists';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import { hostileText } from '../../helpers/hostile-text';

// The SQLite adapter runs its configured statements synchronously, one loop over the batch, with
// each event's parameters named rather than spread. For any batch (repeats, unknown entities,
// mailings that are no campaign, hostile ids and URLs) it must answer and leave exactly what the
// statements give when each event is bound and run on its own, as the adapter did before.

const STATE = [
  'SELECT * FROM bounces ORDER BY entity_type, entity_id',
  'SELECT * FROM consents ORDER BY entity_type, entity_id, opt_in_id, media_type',
  'SELECT * FROM campaign_responses ORDER BY campaign_id, kind, recipient_id, occurred_at, url',
];

/** The former adapter's work, one event at a time on a plain connection: the reference. */
function rowByRow(file: string, batch: { feedback: FeedbackEvent[]; responses: ResponseEvent[] }): CrmEventResults {
  const db = new Database(file);
  const run = (name: DefaultStatementName, params: Record<string, unknown>) => {
    const compiled = compileNamedParameters(DEFAULT_STATEMENTS[name], 'sqlite');
    const statement = db.prepare(compiled.sql).safeIntegers(true);
    const values = bindValues(compiled, params);
    return statement.reader ? statement.get(...values) : statement.run(...values).changes;
  };
  try {
    return db.transaction(() => {
      const feedback = batch.feedback.map((event, index) => {
        const params = { ...event, hard: event.hard === false ? 0 : 1 };
        if (run('entityExists', params) === undefined) return { index, outcome: 'unknown_entity' as const };
        const changed = run(event.kind === 'bounce' ? 'bounce' : 'unsubscribe', params) as number;
        return { index, outcome: changed > 0 ? ('applied' as const) : ('already' as const) };
      });
      const responses = batch.responses.map((event, index) => {
        const row = run('campaignForMailing', { mailingId: event.mailingId }) as { campaign_id?: unknown } | undefined;
        if (row?.campaign_id === undefined || row.campaign_id === null) return { index, outcome: 'no_campaign' as const };
        const changed = run('response', { ...event, url: event.url ?? '', campaignId: String(row.campaign_id) }) as number;
        return { index, outcome: changed > 0 ? ('applied' as const) : ('duplicate' as const) };
      });
      return { feedback, responses };
    })();
  } finally {
    db.close();
  }
}

const ENTITIES = ['C0000001', 'C0000002', 'C0000003', 'C9999999'];
const text = (...plausible: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...plausible), weight: 4 }, { arbitrary: hostileText, weight: 1 });
const feedbackArb: fc.Arbitrary<FeedbackEvent> = fc.record({
  kind: fc.constantFrom('bounce' as const, 'unsubscribe' as const),
  recipientId: text('a@x.test'),
  entityType: fc.constantFrom('contact', 'lead'),
  entityId: fc.constantFrom(...ENTITIES),
  optInId: fc.constantFrom('11', '12'),
  mediaType: fc.constant('email'),
  occurredAt: fc.constantFrom('2026-11-01T10:00:00.000Z', '2026-11-02T10:00:00.000Z'),
  hard: fc.boolean(),
});
const responseArb: fc.Arbitrary<ResponseEvent> = fc
  .record({
    click: fc.boolean(),
    mailingId: fc.constantFrom('1001', '1002', '4242'),
    recipientId: text('a@x.test', 'b@x.test'),
    entityId: fc.constantFrom(...ENTITIES),
    occurredAt: fc.constantFrom('2026-11-02T08:00:00.000Z', '2026-11-02T08:01:00.000Z'),
    url: text('https://example.com/a'),
  })
  .map(({ click, url, ...rest }) => ({
    ...rest,
    kind: click ? ('click' as const) : ('open' as const),
    entityType: 'contact',
    ...(click ? { url } : {}),
  }));

describe('SQLite CRM adapter, synchronous statements', () => {
  let dir: string;
  let demoFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-crm-rows-'));
    demoFile = join(dir, 'demo.db');
    generateDemoCrm({ contacts: 50, file: demoFile, seed: 5 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers and leaves exactly what each event bound and run on its own gives, batch after batch', async () => {
    const batch = fc.record({ feedback: fc.array(feedbackArb, { maxLength: 8 }), responses: fc.array(responseArb, { maxLength: 8 }) });
    let copy = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 3 }), async (batches) => {
        copy += 1;
        const [adapterFile, referenceFile] = [join(dir, `a${copy}.db`), join(dir, `r${copy}.db`)];
        copyFileSync(demoFile, adapterFile);
        copyFileSync(demoFile, referenceFile);
        const config = crmConfigSchema.parse({ kind: 'sqlite', file: adapterFile, lists: demoCrmLists() }) as SqliteCrmConfig;
        const crm = openSqliteCrm(config);
        try {
          for (const b of batches) expect(await crm.applyEvents!(b)).toEqual(rowByRow(referenceFile, b));
        } finally {
          await crm.close();
        }
        const [adapter, reference] = [new Database(adapterFile, { readonly: true }), new Database(referenceFile, { readonly: true })];
        try {
          for (const sql of STATE) expect(adapter.prepare(sql).all()).toEqual(reference.prepare(sql).all());
        } finally {
          adapter.close();
          reference.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
