// The baseline: what a typical integration script does with the `soap` package in WSDL mode —
// one client from the service's WSDL, login, then addAll3 batches one after another.
import * as soap from 'soap';
import type { RunResult } from './client-run';
import { ATTRIBUTES, type Batch, MANDATOR } from './workload';

type AsyncOp = (args: Record<string, unknown>) => Promise<[unknown, string?]>;
type SoapClient = soap.Client & Record<string, AsyncOp> & { lastRequest?: string };

export async function createBaselineClients(url: string): Promise<{ session: SoapClient; recipient: SoapClient }> {
  const session = (await soap.createClientAsync(`${url}/soap11/RpcSession?wsdl`, { endpoint: `${url}/soap11/RpcSession` })) as SoapClient;
  const recipient = (await soap.createClientAsync(`${url}/soap11/RpcRecipient?wsdl`, {
    endpoint: `${url}/soap11/RpcRecipient`,
  })) as SoapClient;
  return { session, recipient };
}

export async function baselineLogin(session: SoapClient): Promise<string> {
  const [result] = await session.loginAsync!({ in0: MANDATOR.mandatorId, in1: MANDATOR.username, in2: MANDATOR.password });
  // soap hands typed strings back as { attributes, $value } wrappers.
  const value = (result as { loginReturn?: { $value?: unknown } | string }).loginReturn;
  return String(typeof value === 'object' ? value?.$value : value);
}

/** Sends the batches one after another, adding envelope bytes and decoded codes to `into`. */
export async function baselineRun(
  recipient: SoapClient,
  sessionId: string,
  listId: number,
  batches: readonly Batch[],
  into: RunResult,
): Promise<void> {
  for (const batch of batches) {
    const args = {
      in0: sessionId,
      in1: listId,
      in2: 0,
      in3: batch.recipientIds,
      in4: batch.addresses,
      in5: ATTRIBUTES,
      in6: batch.attributeValues,
    };
    const [result] = await recipient.addAll3Async!(args);
    into.requestBytes += Buffer.byteLength(recipient.lastRequest ?? '');
    for (const code of decodeCodes(result)) into.codes.push(code);
  }
}

/** soap returns multiRef ints as `{ $value: '0' }` wrappers and collapses one-element arrays; unwrap what it gives. */
function decodeCodes(result: unknown): number[] {
  const outer = (result as { addAll3Return?: { addAll3Return?: unknown } } | null)?.addAll3Return?.addAll3Return;
  const items = Array.isArray(outer) ? outer : outer === undefined ? [] : [outer];
  return items.map((item) => Number((item as { $value?: unknown } | null)?.$value ?? item));
}
