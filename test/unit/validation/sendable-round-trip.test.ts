import fc from 'fast-check';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { bindParams } from '../../../src/simulator/soap/binder';
import { readOperationCall } from '../../../src/simulator/soap/envelope';
import { writeResponse } from '../../../src/simulator/soap/response-writer';
import { scanXml } from '../../../src/simulator/soap/xml-scanner';
import type { Recipient } from '../../../src/validation/recipient';
import { checkSendability } from '../../../src/validation/sendability';
import { sendabilityPolicySchema } from '../../../src/validation/sendability-policy';
import { hostileText } from '../../helpers/hostile-text';

// A recipient the export accepts travels with addAll3, is stored by the server and is read back
// (reconcile's and plan's getAllAdvanced, the verify's reads) through the real codecs on both sides:
// the request writer, the simulator's strict XML reader, the simulator's Axis-style response writer
// and the client's response reader. Whatever the CRM held, what is read back equals what the
// snapshot holds, field by field: a value that would come back otherwise (a CR, which every XML
// reader turns into LF) would look changed to every comparison, every day.

const addAll3 = findOperation('Recipient', 'addAll3')!;
const getAllAdvanced = findOperation('Recipient', 'getAllAdvanced')!;
const MAPPING = { first_name: 'firstname', street: 'street' };
const FIELDS = ['opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', 'firstname', 'street'];

const lineEnds = fc.constantFrom('\r\n', '\r', '\n', '\r\r\n', '\n\r');
const text = fc.oneof(
  hostileText,
  fc
    .array(
      fc.oneof(
        fc.constantFrom('a', 'Ö', ' ', '&', '<', '>', ']]>', '"', "'", '😀', '\t'),
        // C1 controls, noncharacters, private use, bidi and format characters, line and paragraph separators.
        fc.constantFrom(
          '\u0085',
          '\u009B',
          '\uFDD0',
          '\u{1FFFE}',
          '\uE000',
          '\u202E',
          '\u2066',
          '\u200B',
          '\uFEFF',
          '\u00AD',
          '\u2028',
          '\u2029',
        ),
        lineEnds,
      ),
      { maxLength: 10 },
    )
    .map((cs) => cs.join('')),
);

const recipient = fc
  .record({
    id: fc.oneof(fc.constant('anna@example.com'), text),
    description: text,
    entityId: fc.oneof(fc.constant('C1'), text),
    firstname: text,
    street: text,
  })
  .map((r): Recipient => ({
    recipientId: r.id,
    email: 'anna@example.com',
    optInId: '11',
    description: r.description,
    mediaType: 'email',
    entityType: 'contact',
    entityId: r.entityId,
    attributes: { firstname: r.firstname, street: r.street },
  }));

const valuesOf = (r: Recipient) => [
  r.optInId,
  r.description,
  r.mediaType,
  r.entityType,
  r.entityId,
  r.attributes['firstname'] ?? '',
  r.attributes['street'] ?? '',
];

/** addAll3 written by the client, read by the simulator: what the server stores. */
function stored(r: Recipient): { id: string; address: string; values: string[] } {
  const args = ['sid', 100, 0, [r.recipientId], [r.email], FIELDS, [valuesOf(r)]];
  const xml = writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args });
  const call = readOperationCall(scanXml(xml));
  const params = bindParams(addAll3 as never, call.params, call.refs) as Record<string, unknown>;
  return {
    id: (params['recipientIds'] as string[])[0] as string,
    address: (params['addresses'] as string[])[0] as string,
    values: (params['attributeValues'] as string[][])[0] as string[],
  };
}

/** The stored row answered by the simulator and read by the client, as a list read gets it. */
function readBack(row: string[]): unknown {
  const xml = writeResponse('Recipient', getAllAdvanced, [row], { shuffleMultiRefs: false });
  const reply = readResponse(xml, getAllAdvanced);
  return reply.kind === 'result' ? (reply.value as unknown[])[0] : reply;
}

describe('a recipient the export accepts, sent and read back through the real codecs', () => {
  it('is stored and read back exactly as the snapshot holds it, field by field', () => {
    fc.assert(
      fc.property(recipient, fc.constantFrom('strip' as const, 'exclude' as const), (input, invalidAttributeValues) => {
        const checked = checkSendability(input, sendabilityPolicySchema.parse({ invalidAttributeValues, maxLength: 5000 }), MAPPING);
        if (!checked.ok) return;
        const snapshot = checked.recipient;
        const server = stored(snapshot);
        expect(server).toEqual({ id: snapshot.recipientId, address: snapshot.email, values: valuesOf(snapshot) });
        expect(readBack([server.id, server.address, ...server.values])).toEqual([
          snapshot.recipientId,
          snapshot.email,
          ...valuesOf(snapshot),
        ]);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a multi-line attribute (line ends as LF) and excludes a CR inside an identity, naming the column', () => {
    const base: Recipient = {
      recipientId: 'anna@example.com',
      email: 'anna@example.com',
      optInId: '11',
      description: 'News\r\nletter',
      mediaType: 'email',
      entityType: 'contact',
      entityId: 'C1',
      attributes: { firstname: 'Anna', street: 'Hauptstr. 1\r\nHinterhaus\r' },
    };
    const p = sendabilityPolicySchema.parse({ invalidAttributeValues: 'exclude' });
    expect(checkSendability(base, p, MAPPING)).toEqual({
      ok: true,
      recipient: { ...base, description: 'News\nletter', attributes: { firstname: 'Anna', street: 'Hauptstr. 1\nHinterhaus\n' } },
      sanitized: [],
    });
    expect(checkSendability({ ...base, entityId: 'C\r1' }, p, MAPPING)).toEqual({
      ok: false,
      reason: 'invalid_characters',
      field: 'entity_id',
    });
    expect(checkSendability({ ...base, recipientId: 'CRM\r\n7' }, p, MAPPING)).toEqual({
      ok: false,
      reason: 'invalid_characters',
      field: 'recipient_id',
    });
  });
});
