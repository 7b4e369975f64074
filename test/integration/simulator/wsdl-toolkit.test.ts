import * as soap from 'soap';
import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';

// node-soap returns a typed element as { $value, attributes }; plain text otherwise.
const unwrap = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && '$value' in value ? (value as { $value: unknown }).$value : value;

describe('simulator WSDL with the soap package', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('serves a WSDL that the soap package loads, with every operation of the service', async () => {
    const client = await soap.createClientAsync(`${h.sim.url}/soap11/RpcRecipient?wsdl`);
    const ops = Object.keys(client.describe().RecipientWebserviceService.RpcRecipient as object);
    expect(ops).toEqual(expect.arrayContaining(['addAll3', 'getCount', 'setAttributesInBatchFlat', 'getAllAdvanced']));
  });

  it('answers a login and a multiRef getCount made through a WSDL-built client', async () => {
    const session = await soap.createClientAsync(`${h.sim.url}/soap11/RpcSession?WSDL`);
    const [login] = (await session.loginAsync({ in0: MANDATOR, in1: 'api-user', in2: 'secret' })) as [{ loginReturn: unknown }];
    const sessionId = unwrap(login.loginReturn) as string;
    expect(sessionId).toMatch(/^[0-9a-f]{15,16}$/);
    const recipient = await soap.createClientAsync(`${h.sim.url}/soap11/RpcRecipient?wsdl`);
    const [count] = (await recipient.getCountAsync({ in0: sessionId, in1: REGULAR_LIST, in2: 0 })) as [{ getCountReturn: unknown }];
    expect(Number(unwrap(count.getCountReturn))).toBe(0);
  });
});
