import type { Client } from '@temporalio/client';

/**
 * Everything a workflow's history holds, as one searchable text: the event JSON plus every payload
 * decoded from its bytes (payloads are binary in a fetched history, so a plain JSON dump would hide
 * an e-mail address inside base64).
 */
export async function historyText(client: Client, workflowId: string, runId?: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const decoded: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) decoded.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return `${JSON.stringify(history)}\n${decoded.join('\n')}`;
}

/** The ids of every workflow (all runs) of one client, found by its search attribute. */
export async function workflowsOfClient(client: Client, clientKey: string): Promise<Array<{ workflowId: string; runId: string }>> {
  const found: Array<{ workflowId: string; runId: string }> = [];
  for await (const info of client.workflow.list({ query: `CampaignClient = "${clientKey}"` }))
    found.push({ workflowId: info.workflowId, runId: info.runId });
  return found;
}
