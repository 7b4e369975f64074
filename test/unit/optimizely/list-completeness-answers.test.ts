// The answers the sync trusts to call a list complete after a clear and refill: Recipient.getCount
// (verify, drift, live reads), addAll3's result codes and removeAll's booleans. Each property feeds
// arbitrary server text through the real client decoding path (hand-built Axis envelopes behind a
// stub transport) and checks the client either returns what a real list could answer or refuses
// with an OptimizelyResponseError naming the operation and the list: a count of -1, 3.5, 1e21 or
// past 2^31 never reaches `count === expected`.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { multiRefArrayResponse, soapFixture } from './soap-fixtures';
import { ok, stubTransport } from './stub-transport';

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const LIST_ID = 4711;
const INT_MAX = 2 ** 31 - 1;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function clientAnswering(operation: string, body: string) {
  const { transport } = stubTransport({ login: [ok('login-response.xml')], [operation]: [{ status: 200, body }] });
  return createOptimizelyClient(options, { transport });
}

/** Text a server could put where a number goes: near-misses of real counts, then anything. */
const numberText = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map(String),
  fc.integer().map(String),
  fc.constantFrom('-1', '-0', '+7', '3.5', '1e21', '1e3', '0x10', '2147483648', '9007199254740993', '', ' ', 'NaN', 'Infinity', '٣'),
  // White space XML Schema does not collapse (JavaScript's trim does): not a number.
  fc
    .tuple(fc.constantFrom('\u00a0', '\ufeff', '\u2028', '\u3000', '\u0085', '\u000b'), fc.nat({ max: 2000 }), fc.boolean())
    .map(([space, n, before]) => (before ? `${space}${n}` : `${n}${space}`)),
  fc.tuple(fc.constantFrom('', ' ', '\n\t'), fc.nat({ max: 2000 }), fc.constantFrom('', ' ', '\n')).map(([a, n, b]) => `${a}${n}${b}`),
  fc.bigInt({ min: 2n ** 31n, max: 2n ** 70n }).map(String),
  fc.double().map(String),
  fc.string({ maxLength: 8 }),
);

/** `text` without the white space XML Schema collapses around a value (space, tab, LF, CR; nothing else). */
const collapsed = (text: string) => text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');

/** The int the codec reads from `text`, or undefined when it is not one (XML Schema int, white space collapsed). */
function intOf(text: string): number | undefined {
  const trimmed = collapsed(text);
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= -(2 ** 31) && value <= INT_MAX ? value : undefined;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`accepted ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(OptimizelyResponseError);
  return outcome.error as Error;
}

describe('Recipient.getCount answers', () => {
  const getCountResponse = (text: string) => soapFixture('getcount-response.xml').replace('>42<', () => `>${escapeXml(text)}<`);

  it('returns a count only for a whole number from 0 to 2^31-1; anything else is refused naming the operation and the list', async () => {
    await fc.assert(
      fc.asyncProperty(numberText, async (text) => {
        const client = clientAnswering('getCount', getCountResponse(text));
        const counted = intOf(text);
        if (counted !== undefined && counted >= 0) {
          await expect(client.recipient.getCount({ listId: LIST_ID })).resolves.toBe(counted);
          return;
        }
        const error = await refusal(client.recipient.getCount({ listId: LIST_ID }));
        expect(error.message).toContain('Recipient.getCount');
        expect(error.message).toContain(`list ${LIST_ID}`);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['-1', '3.5', '1e21', '9007199254740993', '2147483648', '', ' ', 'NaN', '0x10'])('refuses %j', async (text) => {
    const error = await refusal(clientAnswering('getCount', getCountResponse(text)).recipient.getCount({ listId: LIST_ID }));
    expect(error.message).toMatch(new RegExp(`^Recipient\\.getCount: list ${LIST_ID}: `));
  });

  it('reads a count wrapped in white space, as XML Schema collapses it', async () => {
    await expect(clientAnswering('getCount', getCountResponse('\n  1000 \t')).recipient.getCount({ listId: LIST_ID })).resolves.toBe(1000);
  });
});

describe('Recipient.addAll3 result codes', () => {
  const batch = (size: number) => ({
    listId: LIST_ID,
    optinProcessId: 0,
    recipientIds: Array.from({ length: size }, (_, i) => `r${i}@x.test`),
    addresses: Array.from({ length: size }, (_, i) => `r${i}@x.test`),
    attributeNames: [],
    attributeValues: Array.from({ length: size }, () => []),
  });
  const codeText = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 7 }).map(String) }, numberText);

  it('returns codes only for exactly one code 0–7 per recipient; anything else is refused naming the operation and the list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(codeText, { maxLength: 8 }), fc.integer({ min: 1, max: 8 }), async (texts, size) => {
        const client = clientAnswering('addAll3', multiRefArrayResponse('addAll3', 'int', texts.map(escapeXml)));
        const codes = texts.map(intOf);
        const valid = codes.length === size && codes.every((code) => code !== undefined && code >= 0 && code <= 7);
        if (valid) {
          await expect(client.recipient.addAll3(batch(size))).resolves.toEqual(codes);
          return;
        }
        const error = await refusal(client.recipient.addAll3(batch(size)));
        expect(error.message).toContain('Recipient.addAll3');
        expect(error.message).toContain(`list ${LIST_ID}`);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [['0', '8'], 2],
    [['0', '-1'], 2],
    [['0', '2.5'], 2],
    [['0'], 2],
    [['0', '0', '0'], 2],
  ])('refuses %j for a batch of %i', async (texts, size) => {
    const client = clientAnswering('addAll3', multiRefArrayResponse('addAll3', 'int', texts));
    const error = await refusal(client.recipient.addAll3(batch(size)));
    expect(error.message).toMatch(new RegExp(`^Recipient\\.addAll3: list ${LIST_ID}: `));
  });
});

describe('Recipient.removeAll answers (reconcile leavers)', () => {
  const booleanText = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('true', 'false') },
    fc.constantFrom('1', '0', 'TRUE', 'yes', '', ' true', 'false\n', '\u00a0true', 'false\u2028', '\ufeff1'),
    numberText,
  );
  // A Map, not an object literal: a drawn text such as 'valueOf' would read Object.prototype's member.
  const booleans = new Map([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ]);
  const booleanOf = (text: string) => booleans.get(collapsed(text));

  it('returns answers only for exactly one boolean per id; anything else is refused naming the operation and the list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(booleanText, { maxLength: 6 }), fc.integer({ min: 1, max: 6 }), async (texts, size) => {
        const client = clientAnswering('removeAll', multiRefArrayResponse('removeAll', 'boolean', texts.map(escapeXml)));
        const recipientIds = Array.from({ length: size }, (_, i) => `r${i}@x.test`);
        const answers = texts.map(booleanOf);
        if (answers.length === size && answers.every((answer) => answer !== undefined)) {
          await expect(client.recipient.removeAll({ listId: LIST_ID, recipientIds })).resolves.toEqual(answers);
          return;
        }
        const error = await refusal(client.recipient.removeAll({ listId: LIST_ID, recipientIds }));
        expect(error.message).toContain('Recipient.removeAll');
        expect(error.message).toContain(`list ${LIST_ID}`);
      }),
      { numRuns: 200 },
    );
  });
});
