import fc from 'fast-check';
import { suppressionEventOf } from '../../../src/feedback/record-suppressions';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { suppressionKey, suppressionLookup } from '../../../src/validation/suppressions';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// A recipient id with no visible character (controls, zero-width spaces, soft hyphens, bidi marks,
// characters no store holds) folded to the empty key, and an empty key is no key: a feedback row
// reporting such an id's unsubscribe was left out of the suppression ledger, and the export never
// matched the id against it. Found by the PostgreSQL suppression-key property with a raised run count
// (seed 1572714527: recipient id "\u0002"). Every value that is not blank now has a key.

const invisible = fc.constantFrom('\u0001', '\u0002', '\u001f', '\u007f', '\u200b', '\u200d', '\u00ad', '\u2066', '\ud800', '\ufffe');
const blank = fc.constantFrom(' ', '\t', '\n', '\u3000', '\ufeff');
const aNonBlankValue = fc
  .oneof(fc.string({ unit: invisible, minLength: 1, maxLength: 6 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }))
  .chain((core) => fc.tuple(fc.string({ unit: blank, maxLength: 2 }), fc.constant(core), fc.string({ unit: blank, maxLength: 2 })))
  .map((parts) => parts.join(''))
  .filter((value) => value.trim() !== '');

const NOW = Date.parse('2026-06-01T00:00:00Z');

/** The export of one opaque recipient id against a ledger holding the unsubscribe a feedback row reported for `reported`. */
async function exportAfterUnsubscribe(recipientId: string, reported: string) {
  const event = suppressionEventOf(
    'unsubscribe',
    { recipientId: reported, timestamp: '2026-01-01T00:00:00Z', recipientListId: '0' },
    'c',
    'dropped_file',
  );
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  await exportAndValidate({
    crm: inMemoryCrm({ newsletter: [row({ recipient_id: recipientId, email: 'someone@example.com' })] }),
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, recipientIdKind: 'opaque' }),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
    suppression: suppressionLookup({
      active: event ? [{ kind: 'unsubscribe', recipientKey: event.recipientKey, latestAt: event.occurredAt }] : [],
      allowResubscribe: false,
      now: NOW,
    }),
  });
  return { event, accepted, excluded };
}

describe('suppressionKey of a value without a visible character', () => {
  it('gives every value that is not blank a key, and that key is its own key (property)', () => {
    fc.assert(
      fc.property(aNonBlankValue, (value) => {
        const key = suppressionKey(value);
        expect(key).not.toBe('');
        expect(suppressionKey(key)).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a blank value no key', () => {
    for (const value of ['', ' ', '\t\n', '\u3000', '\ufeff']) expect(suppressionKey(value)).toBe('');
  });

  it('keeps apart two different ids of invisible characters, and keeps a visible id’s key as before', () => {
    expect(suppressionKey('\u0002')).toBe('u+0002');
    expect(suppressionKey(' \u200b\u00ad ')).toBe('u+200b u+00ad');
    expect(suppressionKey('\u200b')).not.toBe(suppressionKey('\u200d'));
    expect(suppressionKey(' A@X.com\u200b')).toBe('a@x.com');
  });

  it('records the unsubscribe of such an id and excludes that id at the export', async () => {
    for (const id of ['\u0002', '\u200b', '\u2066\u2069']) {
      const { event, accepted, excluded } = await exportAfterUnsubscribe(id, id);
      expect(event?.recipientKey).toBe(suppressionKey(id));
      expect(accepted).toEqual([]);
      expect(excluded).toEqual([expect.objectContaining({ reason: 'unsubscribed', field: 'recipient_id' })]);
    }
  });

  it('does not let one invisible id’s unsubscribe exclude another', async () => {
    const { accepted } = await exportAfterUnsubscribe('\u200b', '\u200d');
    expect(accepted).toHaveLength(1);
  });
});
