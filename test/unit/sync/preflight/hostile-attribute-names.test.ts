import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../../src/errors/optimizely-response-error';
import { createOptimizelyClient } from '../../../../src/optimizely/client/create-optimizely-client';
import { checkListAtOptimizely } from '../../../../src/sync/preflight/check-list-at-optimizely';
import { MAX_FIELD_NAME_LENGTH, MAX_LIST_FIELDS } from '../../../../src/sync/preflight/list-fields';
import { ok, stubTransport } from '../../optimizely/stub-transport';

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A getAttributeNames answer as Axis writes it; null entries are xsi:nil items. */
function attributeNamesAnswer(names: (string | null)[]): string {
  const items = names
    .map((n) =>
      n === null
        ? '<getAttributeNamesReturn xsi:type="soapenc:string" xsi:nil="true"/>'
        : `<getAttributeNamesReturn xsi:type="soapenc:string">${escape(n)}</getAttributeNamesReturn>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><ns1:getAttributeNamesResponse ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipientList">` +
    `<getAttributeNamesReturn soapenc:arrayType="soapenc:string[${names.length}]" xsi:type="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">` +
    `${items}</getAttributeNamesReturn></ns1:getAttributeNamesResponse></soapenv:Body></soapenv:Envelope>`
  );
}

/** The pre-flight of list 100 (which getallids-response-shuffled.xml holds) over a stubbed SOAP answer. */
function checkAgainst(names: (string | null)[], attributeNames: string[]) {
  const { transport } = stubTransport({
    login: [ok('login-response.xml')],
    getAllIds: [ok('getallids-response-shuffled.xml')],
    getAttributeNames: [{ status: 200, body: attributeNamesAnswer(names) }],
  });
  const optimizely = createOptimizelyClient(options, { transport });
  return checkListAtOptimizely({ optimizely, listKey: 'newsletter', listId: 100, optinProcessId: 0, attributeNames });
}

// XML 1.0 text without the characters it cannot carry at all, and not only whitespace-trimmed names.
const xmlText = fc.string({ unit: fc.constantFrom('a', 'B', '_', '-', ' ', '&', '<', 'ä', '\t', '😀'), maxLength: 10 });

describe('pre-flight over a hostile attribute-name answer', () => {
  it('passes through the real decoder exactly when every mapped name is in the answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(xmlText, { nil: null }), { maxLength: 20 }),
        fc.uniqueArray(
          xmlText.filter((s) => s.length > 0),
          { maxLength: 6 },
        ),
        async (names, mapped) => {
          const { problems } = await checkAgainst(names, mapped);
          const present = new Set(names.filter((n): n is string => n !== null && n.length > 0));
          expect(problems.length === 0).toBe(mapped.every((m) => present.has(m)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('names every mapped field when the answer is empty or all nil', async () => {
    for (const names of [[], [null, null]]) {
      expect((await checkAgainst(names, ['email', 'firstname'])).problems).toEqual([
        'Optimizely list 100 lacks the fields "email", "firstname"',
      ]);
    }
  });

  it('ignores over-long entries and counts them as odd', async () => {
    const long = 'x'.repeat(MAX_FIELD_NAME_LENGTH + 1);
    const result = await checkAgainst(['email', long, null], ['email', long]);
    expect(result).toMatchObject({ oddFieldEntries: 2, fieldsPresent: 1 });
    expect(result.problems[0]).toContain('lacks the fields');
  });

  it('refuses an answer with more names than any list has', async () => {
    const names = Array.from({ length: MAX_LIST_FIELDS + 1 }, (_, i) => `f${i}`);
    await expect(checkAgainst(names, ['f1'])).rejects.toBeInstanceOf(OptimizelyResponseError);
  });
});
