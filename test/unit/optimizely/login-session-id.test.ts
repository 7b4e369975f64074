// The login's answer is the session id every later request carries. A hostile or broken endpoint can
// answer anything there: nil, an empty string, white space, a control character (written as a
// reference), 200 KB. Before, only nil and "" were refused, and as a permanent argument error; an id
// with a control character was accepted and then made every call fail as a request the client "could
// not encode" (permanent, naming the call instead of the login), and a huge id was sent with every
// request. The property drives the real client over HTTP: a drawn login answer is either used
// verbatim in the next request, or the call fails with a retryable OptimizelyResponseError naming
// Session.login, and nothing is sent with it.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { type HostileServer, startHostileSoapServer } from '../../helpers/hostile-soap-server';
import { soapFixture } from './soap-fixtures';

const LOGIN = soapFixture('login-response.xml');
// A function, not a string: `$&` in a drawn id would otherwise be read as a replacement pattern.
const loginAnswer = (returned: string) => LOGIN.replace(/<loginReturn [^>]*>[^<]*<\/loginReturn>/, () => returned);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Control characters travel as references: raw, the reader already refuses them as not XML. */
const written = (text: string) =>
  // eslint-disable-next-line no-control-regex -- writing control characters as references is the point
  escape(text).replace(/[\u0000-\u001f\u007f]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The login's return element carrying `id` (undefined: nil). */
const returnElement = (id: string | undefined) =>
  id === undefined
    ? '<loginReturn xsi:type="soapenc:string" xsi:nil="true" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"/>'
    : `<loginReturn xsi:type="soapenc:string" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${written(id)}</loginReturn>`;

const VISIBLE_ASCII = /^[\x21-\x7e]{1,128}$/;
const sessionIds = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{15,16}$/),
  fc.string({ minLength: 0, maxLength: 140 }),
  fc.constantFrom(' ', '', '33c4296db6972a38 ', '\t33c4296db6972a38', '33c4\u0001', '\u0000', 'é', 'a'.repeat(128), 'a'.repeat(129)),
  fc.string({ unit: fc.constantFrom('a', '\u0001', '\u001b', '\n', ' ', '\u007f', '\u00e4'), maxLength: 20 }),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileSoapServer();
});
afterAll(() => server.close());

describe('a login answer', () => {
  it('is used verbatim as the session id only when it is 1–128 visible ASCII characters; otherwise a retryable OptimizelyResponseError naming Session.login', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(sessionIds, { nil: undefined }), async (id) => {
        const requests: string[] = [];
        server.answerLogin((res) => res.end(loginAnswer(returnElement(id))));
        server.answer((res, request) => {
          requests.push(request);
          res.end(soapFixture('getcount-response.xml'));
        });
        const client = server.client();
        const outcome = await client.recipient.getCount({ listId: 7 }).then(
          (count) => ({ count }),
          (error: unknown) => ({ error }),
        );
        await client.close();
        if (id !== undefined && VISIBLE_ASCII.test(id)) {
          expect(outcome).toEqual({ count: 42 });
          expect(requests).toHaveLength(1);
          expect(requests[0]).toContain(`>${escape(id)}</`);
          return;
        }
        expect(requests).toEqual([]);
        const error = 'error' in outcome ? outcome.error : undefined;
        expect(error).toBeInstanceOf(OptimizelyResponseError);
        expect((error as OptimizelyResponseError).constructor).toBe(OptimizelyResponseError);
        // A control character is refused by the reader already (response-xml-text.test.ts), the rest by the login.
        expect((error as Error).message).toMatch(
          /^Session\.login: (login answered no usable session id|response holds a character or reference XML 1\.0 does not allow)$/,
        );
      }),
      { numRuns: 120 },
    );
    server.answerLogin(undefined);
  });
});
