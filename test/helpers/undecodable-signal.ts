import type { Client } from '@temporalio/client';

/** Payloads the SDK's default converter cannot decode: invalid JSON, an encoding no converter knows, protobuf without a type. */
export type Payload = { metadata: Record<string, Uint8Array>; data: Uint8Array };

export const UNDECODABLE_PAYLOADS: Payload[] = [
  { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"by": "ops", "reason": "cut off') },
  { metadata: { encoding: Buffer.from('binary/x-unknown\u001b[2J') }, data: Buffer.from('x') },
  { metadata: { encoding: Buffer.from('json/protobuf') }, data: Buffer.from('{}') },
];

/**
 * Sends a signal with raw payloads, as `temporal workflow signal --input-base64` or any client with
 * its own converter can: `payloads` as given (the first argument undecodable, or a valid one then an
 * undecodable one).
 */
export async function signalRaw(client: Client, workflowId: string, signalName: string, payloads: Payload[]): Promise<void> {
  await client.workflowService.signalWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId },
    signalName,
    input: { payloads },
    identity: 'undecodable-signal test',
    requestId: `${workflowId}-${signalName}-${Math.random()}`,
  });
}

/** A valid JSON payload of `value`, for a second argument after it or a control. */
export function jsonPayload(value: unknown): Payload {
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}
