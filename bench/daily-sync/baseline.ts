// The baseline: a straightforward script with the plain `soap` package. It loads the list's whole
// selection into memory, keeps the recipients that should be sent, clears the list, then sends
// addAll3 batches one after another and checks the count. Window = clear .. last batch + getCount.
import * as soap from 'soap';
import type { CampaignSyncConfig } from '../../src/config/config-schema';
import { openCrm } from '../../src/crm/open-crm';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_ATTRIBUTES, DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { attributeNamesFor } from '../../src/sync/recipient-batch';

type AsyncOp = (args: Record<string, unknown>) => Promise<[unknown, string?]>;
type SoapClient = soap.Client & Record<string, AsyncOp>;

export interface BaselineResult {
  recipients: number;
  windowSeconds: number;
  count: number;
}

export async function runBaseline(config: CampaignSyncConfig, listKey: string, password: string): Promise<BaselineResult> {
  const client = config.clients[0]!;
  const listId = client.lists.find((l) => l.key === listKey)!.listId;
  const selection = await loadSelection(config, listKey);
  const url = client.endpoint;
  const session = (await soap.createClientAsync(`${url}/soap11/RpcSession?wsdl`, { endpoint: `${url}/soap11/RpcSession` })) as SoapClient;
  const recipient = (await soap.createClientAsync(`${url}/soap11/RpcRecipient?wsdl`, {
    endpoint: `${url}/soap11/RpcRecipient`,
  })) as SoapClient;
  const [login] = await session.loginAsync!({ in0: client.mandatorId, in1: client.username, in2: password });
  const sessionId = unwrap((login as { loginReturn?: unknown }).loginReturn);
  const names = attributeNamesFor(DEMO_ATTRIBUTES);

  const started = performance.now();
  await recipient.clearAsync!({ in0: sessionId, in1: listId });
  for (let start = 0; start < selection.length; start += 1000) {
    const rows = selection.slice(start, start + 1000);
    await recipient.addAll3Async!({
      in0: sessionId,
      in1: listId,
      in2: 0,
      in3: rows.map((r) => r.recipientId),
      in4: rows.map((r) => r.recipientId),
      in5: names,
      in6: rows.map((r) => r.values),
    });
  }
  const [countResult] = await recipient.getCountAsync!({ in0: sessionId, in1: listId, in2: 0 });
  const windowSeconds = (performance.now() - started) / 1000;
  await session.logoutAsync!({ in0: sessionId }).catch(() => undefined);
  return {
    recipients: selection.length,
    windowSeconds,
    count: Number(unwrap((countResult as { getCountReturn?: unknown }).getCountReturn)),
  };
}

/** Everything in memory at once: the selection's rows, then the recipients computed from the CRM. */
async function loadSelection(config: CampaignSyncConfig, listKey: string): Promise<Array<{ recipientId: string; values: string[] }>> {
  if (config.crm.kind !== 'sqlite') throw new Error('the baseline reads the demo CRM (sqlite)');
  const crm = openCrm(config.crm, process.env);
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of crm.exportSelection(listKey)) rows.push({ ...row });
  await crm.close();
  const list = DEMO_LISTS.find((l) => l.listKey === listKey)!;
  const wanted = new Map(
    expectedRecipients(readDemoCrm(config.crm.file), list).map((r) => [`${r.entityType}/${r.entityId}`, r.recipientId]),
  );
  const out: Array<{ recipientId: string; values: string[] }> = [];
  for (const row of rows) {
    const recipientId = wanted.get(`${String(row.entity_type)}/${String(row.entity_id)}`);
    if (recipientId === undefined) continue;
    wanted.delete(`${String(row.entity_type)}/${String(row.entity_id)}`);
    const technical = [row.opt_in_id, row.description, row.media_type, row.entity_type, row.entity_id];
    out.push({ recipientId, values: [...technical, ...Object.keys(DEMO_ATTRIBUTES).map((k) => row[k])].map((v) => String(v ?? '')) });
  }
  return out;
}

/** soap hands typed scalars back as { $value } wrappers. */
function unwrap(value: unknown): string {
  return String(typeof value === 'object' && value !== null ? (value as { $value?: unknown }).$value : value);
}
