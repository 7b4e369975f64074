// Text where an array's items belong is no array. The general reader took only an array's element
// children and dropped its text, so `<getOpensReturn>junk</getOpensReturn>` came back as an empty
// page (the feedback window "had no events" and was passed for good), `<getAllIdsReturn>4711
// </getAllIdsReturn>` as "no lists". The property drives the real client over HTTP with array answers
// holding text beside, between or instead of their items, in the return array or in a row, and checks
// that only white space there is read (as XML allows) and anything else is an OptimizelyResponseError
// naming the call.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { hostileServerPerFile } from '../../helpers/hostile-soap-server';

const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"';
const envelope = (service: string, operation: string, returned: string) =>
  '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
  `<ns1:${operation}Response ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/Rpc${service}">${returned}</ns1:${operation}Response></soapenv:Body></soapenv:Envelope>`;

/** Text placed among items: `texts[i]` before item i, the rest after them all. */
const among = (items: string[], texts: string[]) =>
  items.map((item, i) => `${texts[i] ?? ''}${item}`).join('') + texts.slice(items.length).join('');

interface ArrayCall {
  name: string;
  /** The answer with `texts` among the return array's items (`inRow`: among the first row's items instead). */
  answer: (texts: string[], inRow: boolean) => string;
  call: (client: OptimizelyPort) => Promise<unknown>;
  /** What the call returns when the texts are white space only. */
  expected: unknown;
}

const CALLS: ArrayCall[] = [
  {
    name: 'RecipientList.getAllIds',
    answer: (texts) =>
      envelope(
        'RecipientList',
        'getAllIds',
        `<getAllIdsReturn>${among(['<item>4711</item>', '<item>12</item>'], texts)}</getAllIdsReturn>`,
      ),
    call: (client) => client.recipientList.getAllIds(),
    expected: [4711, 12],
  },
  {
    name: 'RecipientList.getAttributeNames',
    answer: (texts) =>
      envelope(
        'RecipientList',
        'getAttributeNames',
        `<getAttributeNamesReturn>${among(['<item>email</item>'], texts)}</getAttributeNamesReturn>`,
      ),
    call: (client) => client.recipientList.getAttributeNames({ listId: 7, locale: 'en' }),
    expected: ['email'],
  },
  {
    name: 'Unsubscribe.containsAll',
    answer: (texts) =>
      envelope(
        'Unsubscribe',
        'containsAll',
        `<containsAllReturn>${among(['<item>true</item>', '<item>false</item>'], texts)}</containsAllReturn>`,
      ),
    call: (client) => client.unsubscribe.containsAll({ recipientIds: ['a', 'b'] }),
    expected: [true, false],
  },
  {
    name: 'ClosedLoop.getUnsubscribes',
    answer: (texts, inRow) => {
      const cells = ['<item>a@x.test</item>', '<item>12</item>', '<item>1767222000000</item>', '<item>7</item>'];
      const row = `<getUnsubscribesReturn>${inRow ? among(cells, texts) : cells.join('')}</getUnsubscribesReturn>`;
      return envelope(
        'ClosedLoop',
        'getUnsubscribes',
        `<getUnsubscribesReturn>${inRow ? row : among([row], texts)}</getUnsubscribesReturn>`,
      );
    },
    call: (client) => client.closedLoop.getUnsubscribes({ since: 0, until: 1, startRow: 0, numberOfRows: 1000 }),
    expected: [['a@x.test', '12', '1767222000000', '7']],
  },
];

const space = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 3 });
const junk = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }).map((text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
  fc.constantFrom('0', 'true', '4711', '<![CDATA[x]]>', '&#65;', '\u00a0'),
);

const hostile = hostileServerPerFile();

describe('an array answer with text among its items', () => {
  it('is read when the text is white space, refused naming the call otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CALLS),
        fc.array(fc.oneof({ weight: 2, arbitrary: space }, junk), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (call, texts, inRow, noItems) => {
          const answer = call.answer(texts, inRow);
          // Text instead of the items: the whole array is its text.
          const body =
            noItems && !inRow
              ? answer.replace(
                  /(<\w+Return>)[\s\S]*(<\/\w+Return>)<\/ns1/,
                  (_, open: string, close: string) => `${open}${texts.join('')}${close}</ns1`,
                )
              : answer;
          hostile.answer((res) => res.end(body));
          const outcome = await hostile.call(call.call);
          if (texts.every((text) => /^[ \t\n\r]*$/.test(text))) {
            if (!(noItems && !inRow)) expect(outcome).toEqual({ value: call.expected });
            return;
          }
          const error = 'error' in outcome ? outcome.error : undefined;
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          expect((error as Error).message).toMatch(new RegExp(`^${call.name.replace('.', '\\.')}: .*an array has text content$`));
        },
      ),
      { numRuns: 200 },
    );
  });
});
