import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { CrmPort, FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { readDemoCrm } from '../../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../../src/demo/demo-lists';
import { expectedRecipients } from '../../../src/demo/expected-recipients';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import { CrmListUnknownError } from '../../../src/errors/crm-list-unknown-error';
import { EVENTS_PER_BATCH } from '../../../src/crm/sql/response-batch';
import { RESPONSE_BATCH_STATEMENTS } from '../../../src/crm/sql/response-batch-statements';
import { CrmStatementError } from '../../../src/errors/crm-statement-error';
import { hostileText } from '../../helpers/hostile-text';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';

/** One SQL adapter opened on a copy of the demo CRM, plus a way to look at its tables. */
export interface SqlCrmFixture {
  crm: CrmPort;
  rows(sql: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export type OpenFixture = (demoFile: string, statements?: Record<string, string>) => Promise<SqlCrmFixture>;

const bounce = (entityId: string, hard = true): FeedbackEvent => ({
  kind: 'bounce',
  recipientId: 'r',
  entityType: 'contact',
  entityId,
  optInId: '11',
  mediaType: 'email',
  occurredAt: '2026-11-01T10:00:00Z',
  hard,
});
const unsubscribe = (entityId: string, optInId = '11'): FeedbackEvent => ({ ...bounce(entityId), kind: 'unsubscribe', optInId });

const STATE = [
  'SELECT * FROM bounces ORDER BY entity_type, entity_id',
  'SELECT * FROM consents ORDER BY entity_type, entity_id, opt_in_id, media_type',
  'SELECT * FROM campaign_responses ORDER BY campaign_id, kind, recipient_id, occurred_at, url',
];

const ENTITIES = ['C0000001', 'C0000002', 'C0000003', 'C9999999'];
const feedbackArbitrary: fc.Arbitrary<FeedbackEvent> = fc
  .record({
    unsubscribe: fc.boolean(),
    entityId: fc.constantFrom(...ENTITIES),
    hard: fc.boolean(),
    day: fc.integer({ min: 1, max: 3 }),
    optInId: fc.constantFrom('11', '12'),
  })
  .map(({ unsubscribe: u, entityId, hard, day, optInId }) => ({
    ...(u ? unsubscribe(entityId, optInId) : bounce(entityId, hard)),
    occurredAt: `2026-11-0${day}T10:00:00.000Z`,
  }));
const responseArbitrary: fc.Arbitrary<ResponseEvent> = fc
  .record({
    click: fc.boolean(),
    mailingId: fc.constantFrom('1001', '1002', '4242'),
    entityId: fc.constantFrom(...ENTITIES),
    minute: fc.nat(2),
  })
  .map(({ click, mailingId, entityId, minute }) => ({
    kind: click ? ('click' as const) : ('open' as const),
    mailingId,
    recipientId: `${entityId}@x.test`,
    entityType: 'contact',
    entityId,
    occurredAt: `2026-11-02T08:0${minute}:00.000Z`,
    ...(click ? { url: 'https://example.com/a' } : {}),
  }));

const TWIN_LEAD = 'L8000001';

/**
 * One person as a contact that withdrew both demo consents and as a lead (the address in other
 * letter case) that still holds them, on both demo lists: rows that disagree about the consent.
 */
function addConflictingTwin(file: string): void {
  const db = new Database(file);
  db.exec(`
    INSERT INTO contacts (id, salutation, first_name, last_name, email, city) VALUES ('C8000001', 'Ms', 'Twin', 'Conflict', 'twin@conflict.test', 'Bonn');
    INSERT INTO leads (id, salutation, first_name, last_name, email, company, city) VALUES ('${TWIN_LEAD}', 'Ms', 'Twin', 'Conflict', 'Twin@Conflict.test', 'X', 'Bonn');
    INSERT INTO consents VALUES ('contact', 'C8000001', 11, 'email', 'withdrawn', '2026-11-01T00:00:00Z'), ('contact', 'C8000001', 12, 'email', 'withdrawn', '2026-11-01T00:00:00Z'),
      ('lead', '${TWIN_LEAD}', 11, 'email', 'granted', '2026-11-02T00:00:00Z'), ('lead', '${TWIN_LEAD}', 12, 'email', 'granted', '2026-11-02T00:00:00Z');
    INSERT INTO marketing_list_members VALUES (1, 'contact', 'C8000001'), (2, 'contact', 'C8000001'), (1, 'lead', '${TWIN_LEAD}'), (2, 'lead', '${TWIN_LEAD}');
  `);
  db.close();
}

/** The behaviour every SQL adapter shares; run once per database. */
export function sqlCrmContract(open: OpenFixture, dialect: 'sqlite' | 'postgres'): void {
  let dir: string;
  let demoFile: string;
  let fx: SqlCrmFixture;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-crm-'));
    demoFile = join(dir, 'demo.db');
    generateDemoCrm({ contacts: 300, file: demoFile, seed: 5 });
    addConflictingTwin(demoFile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    fx = await open(demoFile);
  });
  afterEach(async () => {
    await fx.close();
  });

  const snapshot = async () => Promise.all(STATE.map((sql) => fx.rows(sql)));
  /** Both CRMs hold the same bounces, consents and responses; then both are closed. */
  const expectSameStateThenClose = async (a: SqlCrmFixture, b: SqlCrmFixture) => {
    try {
      for (const sql of STATE) expect(await a.rows(sql)).toEqual(await b.rows(sql));
    } finally {
      await a.close();
      await b.close();
    }
  };
  const run = async (listKey: string) => {
    const list = DEMO_LISTS.find((l) => l.listKey === listKey)!;
    const accepted: AcceptedRow[] = [];
    const excluded: Exclusion[] = [];
    const rules = listRulesSchema.parse({ listKey, optInId: list.optInId });
    const counts = await exportAndValidate({
      crm: fx.crm,
      rules,
      accepted: { write: (a) => void accepted.push(a) },
      excluded: { write: (e) => void excluded.push(e) },
    });
    return { list, counts, accepted, excluded };
  };

  it.each(DEMO_LISTS.map((l) => l.listKey))('exports list %s to exactly the independently computed recipient set', async (listKey) => {
    const { list, counts, accepted, excluded } = await run(listKey);
    const got = accepted.map((a) => `${a.recipient.recipientId} ${a.recipient.entityType} ${a.recipient.entityId}`);
    const want = expectedRecipients(readDemoCrm(demoFile), list).map((r) => `${r.recipientId} ${r.entityType} ${r.entityId}`);
    expect(got).toEqual(want);
    // The lead whose contact twin withdrew both consents is excluded for that row's withdrawal, never
    // sent (docs/crm.md, "Conflicting rows"); the oracle above agrees.
    const lead = excluded.find((e) => e.entityId === TWIN_LEAD && e.reason !== 'consent_mismatch');
    expect(lead).toEqual(
      expect.objectContaining({ reason: 'consent_withdrawn', field: expect.stringMatching(/^consent_withdrawn \(row \d+\)$/) }),
    );
    expect(counts.accepted + excluded.length).toBe(counts.rowsRead);
    expect(new Set([...accepted.map((a) => a.rowNumber), ...excluded.map((e) => e.rowNumber)]).size).toBe(counts.rowsRead);
  });

  it('rejects a list without a configured selection, whatever its key', async () => {
    // The names of the object prototype included: `constructor` once found Object itself as the list.
    for (const key of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(fx.crm.exportSelection(key)[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(CrmListUnknownError);
    }
  });

  it('reports applied, then already, then unknown entity for bounces', async () => {
    expect(await fx.crm.applyFeedback([bounce('C0000001'), bounce('C9999999')])).toEqual([
      { index: 0, outcome: 'applied' },
      { index: 1, outcome: 'unknown_entity' },
    ]);
    expect(await fx.crm.applyFeedback([bounce('C0000001')])).toEqual([{ index: 0, outcome: 'already' }]);
  });

  it('leaves the CRM as after once when the same feedback is applied twice', async () => {
    const events = [bounce('C0000002', false), bounce('C0000003'), unsubscribe('C0000004'), unsubscribe('L0000001', '12')];
    events[3] = { ...events[3]!, entityType: 'lead' };
    await fx.crm.applyFeedback(events);
    const once = await snapshot();
    const again = await fx.crm.applyFeedback(events);
    expect(again.map((r) => r.outcome)).toEqual(['already', 'already', 'already', 'already']);
    expect(await snapshot()).toEqual(once);
  });

  it('rolls the whole batch back when a configured statement is unusable', async () => {
    const broken = await open(demoFile, { unsubscribe: 'UPDATE consents SET status = :nope' });
    try {
      const before = await broken.rows(STATE[0]!);
      await expect(broken.crm.applyFeedback([bounce('C0000006'), unsubscribe('C0000006')])).rejects.toBeInstanceOf(CrmStatementError);
      expect(await broken.rows(STATE[0]!)).toEqual(before);
    } finally {
      await broken.close();
    }
  });

  it('upgrades a soft bounce to a hard one', async () => {
    const outcomes = [];
    for (const event of [bounce('C0000005', false), bounce('C0000005', true), bounce('C0000005', false)]) {
      outcomes.push((await fx.crm.applyFeedback([event]))[0]!.outcome);
    }
    expect(outcomes).toEqual(['applied', 'applied', 'already']);
    expect(await fx.rows("SELECT hard FROM bounces WHERE entity_id = 'C0000005'")).toEqual([{ hard: 1 }]);
  });

  it('withdraws exactly the list consent, which the next export then excludes', async () => {
    const before = await run('newsletter');
    const target = before.accepted[0]!.recipient;
    const otherConsents = `SELECT opt_in_id, media_type, status FROM consents WHERE entity_id = '${target.entityId}' AND NOT (opt_in_id = 11 AND media_type = 'email') ORDER BY opt_in_id, media_type`;
    const othersBefore = await fx.rows(otherConsents);
    const [result] = await fx.crm.applyFeedback([{ ...unsubscribe(target.entityId), entityType: target.entityType }]);
    expect(result!.outcome).toBe('applied');
    const after = await run('newsletter');
    expect(after.accepted.map((a) => a.recipient.entityId)).not.toContain(target.entityId);
    expect(after.counts.excluded.consent_withdrawn).toBe(before.counts.excluded.consent_withdrawn + 1);
    expect(await fx.rows(otherConsents)).toEqual(othersBefore);
  });

  it('leaves a consent the CRM changed after the unsubscribe as it is, and withdraws one changed before', async () => {
    const [granted] = (await fx.rows(
      "SELECT entity_type, entity_id, opt_in_id, media_type, changed_at FROM consents WHERE status = 'granted' ORDER BY entity_type, entity_id, opt_in_id, media_type LIMIT 1",
    )) as { entity_type: string; entity_id: string; opt_in_id: number; media_type: string; changed_at: string }[];
    const consent = `SELECT status, changed_at FROM consents WHERE entity_type = '${granted!.entity_type}' AND entity_id = '${granted!.entity_id}' AND opt_in_id = ${granted!.opt_in_id} AND media_type = '${granted!.media_type}'`;
    const at = (days: number) => new Date(Date.parse(granted!.changed_at) + days * 86_400_000).toISOString();
    const withdrawal = (days: number): FeedbackEvent => ({
      ...unsubscribe(granted!.entity_id, String(granted!.opt_in_id)),
      entityType: granted!.entity_type,
      mediaType: granted!.media_type,
      occurredAt: at(days),
    });
    expect(await fx.crm.applyFeedback([withdrawal(-1)])).toEqual([{ index: 0, outcome: 'already' }]);
    expect(await fx.rows(consent)).toEqual([{ status: 'granted', changed_at: granted!.changed_at }]);
    expect(await fx.crm.applyFeedback([withdrawal(1)])).toEqual([{ index: 0, outcome: 'applied' }]);
    expect(await fx.rows(consent)).toEqual([{ status: 'withdrawn', changed_at: at(1) }]);
  });

  it('records the bounce time and lets an older hard bounce leave a newer soft one alone', async () => {
    const soft = { ...bounce('C0000007', false), occurredAt: '2026-11-10T09:00:00.000Z' };
    expect((await fx.crm.applyFeedback([soft]))[0]!.outcome).toBe('applied');
    expect((await fx.crm.applyFeedback([{ ...soft, hard: true, occurredAt: '2026-11-09T09:00:00.000Z' }]))[0]!.outcome).toBe('already');
    expect(await fx.rows("SELECT hard, bounced_at FROM bounces WHERE entity_id = 'C0000007'")).toEqual([
      { hard: 0, bounced_at: soft.occurredAt },
    ]);
    expect((await fx.crm.applyFeedback([{ ...soft, hard: true, occurredAt: '2026-11-11T09:00:00.000Z' }]))[0]!.outcome).toBe('applied');
    expect(await fx.rows("SELECT hard, bounced_at FROM bounces WHERE entity_id = 'C0000007'")).toEqual([
      { hard: 1, bounced_at: '2026-11-11T09:00:00.000Z' },
    ]);
  });

  it('records responses once for campaign mailings and skips other mailings', async () => {
    const open = {
      kind: 'open' as const,
      mailingId: '1001',
      recipientId: 'r',
      entityType: 'contact',
      entityId: 'C0000001',
      occurredAt: '2026-11-02T08:00:00Z',
    };
    const click = { ...open, kind: 'click' as const, url: 'https://example.com/a' };
    const other = { ...open, mailingId: '4242' };
    expect((await fx.crm.applyResponses([open, click, other])).map((r) => r.outcome)).toEqual(['applied', 'applied', 'no_campaign']);
    expect((await fx.crm.applyResponses([open, click])).map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    const stored = await fx.rows('SELECT campaign_id, kind, url FROM campaign_responses ORDER BY kind');
    expect(stored).toEqual([
      { campaign_id: 'CMP-0001', kind: 'click', url: 'https://example.com/a' },
      { campaign_id: 'CMP-0001', kind: 'open', url: '' },
    ]);
  });

  it('applies feedback and responses in one transaction exactly as applyFeedback then applyResponses do', async () => {
    const batch = fc.record({
      feedback: fc.array(feedbackArbitrary, { maxLength: 6 }),
      responses: fc.array(responseArbitrary, { maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 4 }), async (batches) => {
        const [together, apart] = [await open(demoFile), await open(demoFile)];
        try {
          for (const b of batches) {
            const results = await together.crm.applyEvents!(b);
            expect(results).toEqual({
              feedback: await apart.crm.applyFeedback(b.feedback),
              responses: await apart.crm.applyResponses(b.responses),
            });
          }
          for (const sql of STATE) expect(await together.rows(sql)).toEqual(await apart.rows(sql));
        } finally {
          await together.close();
          await apart.close();
        }
      }),
      { numRuns: 8 },
    );
  });

  it('rolls the feedback of a batch back with it when a response statement is unusable', async () => {
    const broken = await open(demoFile, { response: 'INSERT INTO campaign_responses (campaign_id) VALUES (:nope)' });
    try {
      const before = await Promise.all(STATE.map((sql) => broken.rows(sql)));
      const open1001 = {
        kind: 'open' as const,
        mailingId: '1001',
        recipientId: 'r',
        entityType: 'contact',
        entityId: 'C0000006',
        occurredAt: '2026-11-02T08:00:00Z',
      };
      await expect(broken.crm.applyEvents!({ feedback: [bounce('C0000006')], responses: [open1001] })).rejects.toBeInstanceOf(
        CrmStatementError,
      );
      expect(await Promise.all(STATE.map((sql) => broken.rows(sql)))).toEqual(before);
    } finally {
      await broken.close();
    }
  });

  describe('with the multi-row responseBatch statement', () => {
    const batchStatements = { responseBatch: RESPONSE_BATCH_STATEMENTS[dialect] };
    /** The answer of a call, or the class of its error: a statement the database refuses must fail alike. */
    const settle = async (call: () => Promise<unknown>) =>
      call().then(
        (value) => ({ value }),
        (error: unknown) => ({ error: (error as Error).name }),
      );
    // Opens and clicks with repeats, twins (one recipient as two entities), mailings that are no
    // campaign and hostile ids and URLs (NUL and lone surrogates included, bound on their own).
    const hostileResponse = fc
      .record({
        event: responseArbitrary,
        recipientId: fc.option(hostileText, { freq: 4 }),
        url: fc.option(fc.oneof(fc.constantFrom('https://example.com/a', 'https://example.com/b'), hostileText), { freq: 2 }),
        lead: fc.boolean(),
      })
      .map(({ event, recipientId, url, lead }) => ({
        ...event,
        ...(recipientId === null ? {} : { recipientId }),
        ...(url === null || event.kind === 'open' ? {} : { url }),
        ...(lead ? { entityType: 'lead', entityId: 'L0000001' } : {}),
      }));

    it('answers and leaves exactly what the per-event statement does, batch after batch', async () => {
      const batch = fc.record({
        feedback: fc.array(feedbackArbitrary, { maxLength: 4 }),
        responses: fc.array(hostileResponse, { maxLength: 12 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 3 }), fc.boolean(), async (batches, together) => {
          const [batched, perEvent] = [await open(demoFile, batchStatements), await open(demoFile)];
          try {
            for (const b of batches) {
              const apply = (crm: CrmPort) => (): Promise<unknown> => (together ? crm.applyEvents!(b) : crm.applyResponses(b.responses));
              expect(await settle(apply(batched.crm))).toEqual(await settle(apply(perEvent.crm)));
            }
          } finally {
            await expectSameStateThenClose(batched, perEvent);
          }
        }),
        { numRuns: 10 },
      );
    });

    it('gives the per-event answers over more events than one statement takes', async () => {
      const events: ResponseEvent[] = Array.from({ length: 2 * EVENTS_PER_BATCH + 7 }, (_, i) => ({
        kind: 'open',
        mailingId: i % 5 === 0 ? '4242' : '1001',
        recipientId: `r${i % 1500}@x.test`,
        entityType: 'contact',
        entityId: 'C0000001',
        occurredAt: '2026-11-02T08:00:00.000Z',
      }));
      const [batched, perEvent] = [await open(demoFile, batchStatements), await open(demoFile)];
      try {
        const answer = await batched.crm.applyResponses(events);
        expect(answer).toEqual(await perEvent.crm.applyResponses(events));
        expect(answer.filter((r) => r.outcome === 'duplicate').length).toBeGreaterThan(0);
      } finally {
        await expectSameStateThenClose(batched, perEvent);
      }
    });

    const open1001: ResponseEvent = {
      kind: 'open',
      mailingId: '1001',
      recipientId: 'r',
      entityType: 'contact',
      entityId: 'C0000006',
      occurredAt: '2026-11-02T08:00:00Z',
    };

    it('fails the batch, feedback included, when the statement returns a row that is no event of it', async () => {
      const foreign =
        "SELECT 'CMP-0001' AS \"campaignId\", 'open' AS kind, 'other' AS \"recipientId\", 'contact' AS \"entityType\", 'C0000006' AS \"entityId\", '2026-11-02T08:00:00Z' AS \"occurredAt\", '' AS url WHERE CAST(:events AS text) IS NOT NULL";
      const broken = await open(demoFile, { responseBatch: foreign });
      try {
        const before = await Promise.all(STATE.map((sql) => broken.rows(sql)));
        const failure = broken.crm.applyEvents!({ feedback: [bounce('C0000006')], responses: [open1001] });
        await expect(failure).rejects.toBeInstanceOf(CrmStatementError);
        await expect(failure).rejects.toThrow(/responseBatch.*no event of the batch/);
        expect(await Promise.all(STATE.map((sql) => broken.rows(sql)))).toEqual(before);
      } finally {
        await broken.close();
      }
    });

    it('names the column a statement does not return, and one that returns nothing', async () => {
      for (const [sql, reason] of [
        ['SELECT 1 AS kind WHERE CAST(:events AS text) IS NOT NULL', /returns no column "campaignId"/],
        [
          "INSERT INTO campaign_responses (campaign_id, kind, recipient_id, entity_type, entity_id, occurred_at, url) SELECT 'CMP-0001', 'open', 'x', 'contact', 'C0000006', 't', '' WHERE CAST(:events AS text) IS NOT NULL",
          /returns no rows/,
        ],
      ] as const) {
        const broken = await open(demoFile, { responseBatch: sql });
        try {
          await expect(broken.crm.applyResponses([open1001])).rejects.toThrow(reason);
        } finally {
          await broken.close();
        }
      }
    });
  });

  it('maps a mailing to its CRM campaign', async () => {
    expect(await fx.crm.campaignForMailing('1002')).toBe('CMP-0002');
    expect(await fx.crm.campaignForMailing('999')).toBeUndefined();
  });
}
