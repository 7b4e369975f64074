// Why the client does not use the `soap` package: against the simulator's Axis-style WSDL and
// responses it works on the wire, but every value comes back untyped or reshaped, and nulls are
// lost on the way out. Each test pins one concrete gap (the throughput cost is in bench/soap-refill).
import * as soap from 'soap';
import { CREDENTIALS, type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

type AsyncOp = (args: Record<string, unknown>) => Promise<[Record<string, unknown>]>;
type SoapClient = soap.Client & Record<string, AsyncOp>;

let harness: Harness;
let recipient: SoapClient;
let sessionId: string;
let rawLoginReturn: unknown;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
  const url = harness.sim.url;
  const session = (await soap.createClientAsync(`${url}/soap11/RpcSession?wsdl`, { endpoint: `${url}/soap11/RpcSession` })) as SoapClient;
  recipient = (await soap.createClientAsync(`${url}/soap11/RpcRecipient?wsdl`, { endpoint: `${url}/soap11/RpcRecipient` })) as SoapClient;
  const [login] = await session.loginAsync!({ in0: CREDENTIALS.mandatorId, in1: CREDENTIALS.username, in2: CREDENTIALS.password });
  rawLoginReturn = login.loginReturn;
  sessionId = (login.loginReturn as { $value: string }).$value;
});
afterAll(() => harness.close());

const addAll3 = (ids: string[], values: (string | null)[][]) =>
  recipient.addAll3Async!({ in0: sessionId, in1: LIST, in2: 0, in3: ids, in4: ids, in5: ['firstname'], in6: values });

describe('the soap package against Axis-style rpc/encoded responses', () => {
  it('hands back a typed string return as an { attributes, $value } wrapper', () => {
    expect(rawLoginReturn).toEqual({ attributes: expect.any(Object), $value: expect.stringMatching(/^[0-9a-f]{15,16}$/) });
  });

  it('resolves multiRefs but returns ints as wrapped strings, not numbers', async () => {
    await recipient.clearAsync!({ in0: sessionId, in1: LIST });
    const [result] = await addAll3(['a@example.com', 'bad'], [['A'], ['B']]);
    const items = (result.addAll3Return as { addAll3Return: { $value: unknown }[] }).addAll3Return;
    expect(items.map((item) => item.$value)).toEqual(['0', '1']);
  });

  it('collapses a one-element array into a single object and drops an empty one', async () => {
    const [one] = await addAll3(['c@example.com'], [['C']]);
    expect(Array.isArray((one.addAll3Return as { addAll3Return: unknown }).addAll3Return)).toBe(false);
    const [none] = await addAll3([], []);
    expect((none.addAll3Return as { addAll3Return?: unknown } | undefined)?.addAll3Return).toBeUndefined();
  });

  it('sends null as an empty element, so the server stores "" where the codec sends xsi:nil', async () => {
    await addAll3(['d@example.com'], [[null]]);
    await harness.client().recipient.addAll3({
      listId: LIST,
      optinProcessId: 0,
      recipientIds: ['e@example.com'],
      addresses: ['e@example.com'],
      attributeNames: ['firstname'],
      attributeValues: [[null]],
    });
    const { recipients } = await harness.adminJson<{ recipients: { recipientId: string; attributes: Record<string, unknown> }[] }>(
      'GET',
      `clients/${CREDENTIALS.mandatorId}/lists/${LIST}/recipients`,
    );
    const firstname = (id: string) => recipients.find((r) => r.recipientId === id)?.attributes.firstname;
    expect(firstname('d@example.com')).toBe('');
    expect(firstname('e@example.com') ?? null).toBeNull();
  });
});
