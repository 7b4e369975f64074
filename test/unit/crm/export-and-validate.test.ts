import { CrmSelectionColumnsError } from '../../../src/errors/crm-selection-columns-error';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema, type ListRulesInput } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { suppressionLookup, type SuppressionLookup } from '../../../src/validation/suppressions';
import { inMemoryCrm, row } from './in-memory-crm';
import type { CrmRow } from '../../../src/crm/crm-port';

async function run(rows: CrmRow[], options: { rules?: Partial<ListRulesInput>; suppression?: SuppressionLookup } = {}) {
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, ...options.rules });
  const counts = await exportAndValidate({
    crm: inMemoryCrm({ newsletter: rows }),
    rules,
    suppression: options.suppression,
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: async (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}

describe('exportAndValidate', () => {
  it('keeps the contact over a lead and an account with the same recipient id, whatever the order', async () => {
    const rows = [
      row({ entity_type: 'account', entity_id: 'A1', email: 'ANNA@example.com' }),
      row({ entity_type: 'lead', entity_id: 'L1' }),
      row({ entity_type: 'contact', entity_id: 'C1', email: 'Anna@Example.com' }),
    ];
    const { accepted, excluded } = await run(rows);
    expect(accepted).toEqual([{ rowNumber: 3, recipient: expect.objectContaining({ entityType: 'contact', entityId: 'C1' }) }]);
    expect(excluded.map((e) => [e.rowNumber, e.reason, e.entityId])).toEqual([
      [2, 'duplicate', 'L1'],
      [1, 'duplicate', 'A1'],
    ]);
  });

  it('follows a configured preference and breaks ties by the lowest entity id', async () => {
    const rows = [row({ entity_id: 'C2' }), row({ entity_type: 'lead', entity_id: 'L9' }), row({ entity_id: 'C1' })];
    const leadFirst = await run(rows, { rules: { entityPreference: ['lead', 'contact'] } });
    expect(leadFirst.accepted.map((a) => a.recipient.entityId)).toEqual(['L9']);
    const contactFirst = await run(rows);
    expect(contactFirst.accepted.map((a) => a.recipient.entityId)).toEqual(['C1']);
  });

  it('sends neither row when the contact with the same address withdrew its consent and the lead did not', async () => {
    const { accepted, counts, excluded } = await run([row({ consent_withdrawn: 1 }), row({ entity_type: 'lead', entity_id: 'L1' })]);
    expect(accepted).toEqual([]);
    expect(counts.excluded.consent_withdrawn).toBe(2);
    expect(excluded.map((e) => [e.entityId, e.field])).toEqual([
      ['C1', 'consent_withdrawn'],
      ['L1', 'consent_withdrawn (row 1)'],
    ]);
    expect(counts.excluded.duplicate).toBe(0);
  });

  it('excludes recipients the caller knows as unsubscribed or bounced', async () => {
    const at = '2026-03-01T00:00:00.000Z';
    const suppression = suppressionLookup({
      active: [
        { kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: at },
        { kind: 'bounce', recipientKey: 'bob@example.com', latestAt: at },
      ],
      allowResubscribe: false,
      now: Date.parse('2026-04-01T00:00:00.000Z'),
    });
    const rows = [
      row(),
      row({ recipient_id: 'bob@example.com', email: 'bob@example.com', entity_id: 'C2' }),
      row({ recipient_id: 'cy@example.com', email: 'cy@example.com', entity_id: 'C3' }),
    ];
    const { counts, excluded } = await run(rows, { suppression });
    expect(counts.accepted).toBe(1);
    expect(excluded.map((e) => [e.reason, e.entityId])).toEqual([
      ['unsubscribed', 'C1'],
      ['bounced', 'C2'],
    ]);
  });

  it('puts every row in exactly one sink and counts it there', async () => {
    const rows = [
      row(),
      row({ entity_type: 'lead', entity_id: 'L1' }),
      row({ opt_in_id: 12, entity_id: 'C2' }),
      row({ email: 'x', recipient_id: 'y@example.com', entity_id: 'C3' }),
      row({ entity_id: '' }),
      row({ entity_type: 'partner', entity_id: 'P1' }),
      row({ media_type: 'sms', entity_id: 'C4' }),
      row({ bounced: 1, recipient_id: 'z@example.com', email: 'z@example.com', entity_id: 'C5' }),
      row({ recipient_id: 'ok@example.com', email: 'ok@example.com', entity_id: 'C6' }),
    ];
    const { counts, accepted, excluded } = await run(rows);
    expect(counts.rowsRead).toBe(rows.length);
    const excludedTotal = Object.values(counts.excluded).reduce((a, b) => a + b, 0);
    expect(counts.accepted + excludedTotal).toBe(rows.length);
    expect([...accepted.map((a) => a.rowNumber), ...excluded.map((e) => e.rowNumber)].sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(counts.excluded).toEqual({
      missing_field: 1,
      consent_mismatch: 1,
      media_type_mismatch: 1,
      unknown_entity_type: 1,
      invalid_email: 1,
      idn_domain: 0,
      consent_withdrawn: 0,
      bounced: 1,
      unsubscribed: 0,
      resubscribe_needs_optin: 0,
      resubscribe_zone_unknown: 0,
      withdrawal_not_regranted: 0,
      duplicate: 1,
      invalid_characters: 0,
      value_too_long: 0,
      unreadable_value: 0,
      malformed_row: 0,
      cut_last_line: 0,
      rejected_before: 0,
    });
  });

  it('fails the export when the selection lacks a required or mapped column', async () => {
    const { description: _d, ...withoutDescription } = row();
    await expect(run([withoutDescription])).rejects.toBeInstanceOf(CrmSelectionColumnsError);
    await expect(run([row()], { rules: { attributes: { city: 'city' } } })).rejects.toMatchObject({ missingColumns: ['city'] });
  });

  it('awaits the pace hook every 1000 rows read and every 1000 rows drained, and loses no row while paced', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) =>
      row({ recipient_id: `p${i}@example.com`, email: `p${i}@example.com`, entity_id: `C${i}` }),
    );
    const accepted: AcceptedRow[] = [];
    let paces = 0;
    const counts = await exportAndValidate({
      crm: inMemoryCrm({ newsletter: rows }),
      rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11 }),
      accepted: { write: (a) => void accepted.push(a) },
      excluded: { write: async () => undefined },
      pace: async () => {
        paces += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    });
    expect(paces).toBe(2 + 2);
    expect(counts.accepted).toBe(2500);
    expect(accepted).toHaveLength(2500);
  });

  it('counts the rows whose Unicode domain the punycode policy converted, and excludes them by default', async () => {
    const rows = [
      row({ recipient_id: 'anna@münchen.de', email: 'anna@münchen.de' }),
      row({ recipient_id: 'bob@example.com', email: 'bob@example.com', entity_id: 'C2' }),
    ];
    const converted = await run(rows, { rules: { idnDomains: 'punycode' } });
    expect(converted.counts).toMatchObject({ accepted: 2, idnConverted: 1 });
    expect(converted.accepted.map((a) => a.recipient.recipientId)).toEqual(['anna@xn--mnchen-3ya.de', 'bob@example.com']);
    const rejected = await run(rows);
    expect(rejected.counts).toMatchObject({ accepted: 1, idnConverted: 0, excluded: { idn_domain: 1 } });
  });

  it('returns zero counts for an empty selection', async () => {
    expect((await run([])).counts).toMatchObject({ rowsRead: 0, accepted: 0 });
  });
});
