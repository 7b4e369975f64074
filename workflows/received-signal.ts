import { defaultPayloadConverter, rawValueTypeInfo, RawValue, type TypeInfo } from '@temporalio/common';
import { defineSignal, log, type SignalDefinition } from '@temporalio/workflow';

// A signal's arguments are decoded by the SDK before any handler runs, and a payload it cannot decode
// (invalid JSON under `json/plain`, an encoding no converter knows: anyone who can signal the run can
// send one, `temporal workflow signal --input-base64`) threw there, outside every handler: the workflow
// task failed, and failed again on every retry, since the signal stays in the history. The run stood
// still for good (a held list no approve could reach, a refill stopped mid-way with its list cleared).
// So the operator signals are received undecoded (the SDK's RawValue type info) and decoded by the
// handler, which ignores one it cannot decode. A valid payload decodes to the same value as before
// (the worker's payload converter is the default one), so histories replay as they ran.

/** Every argument, at any index, received as a RawValue: a second undecodable argument must not throw either. */
const EVERY_ARGUMENT_RAW: readonly TypeInfo[] = new Proxy([] as TypeInfo[], {
  get: (target, key) => (typeof key === 'string' && /^\d+$/.test(key) ? rawValueTypeInfo : Reflect.get(target, key)),
});

/** The definition a workflow receives a signal by: the sender's name, every argument undecoded. */
export function receivedSignal(definition: SignalDefinition<never[]> | { name: string }): SignalDefinition<unknown[]> {
  return defineSignal<unknown[]>(definition.name, { typeInfo: { inputTypes: EVERY_ARGUMENT_RAW } });
}

/** A signal's message as the SDK would have decoded it, or why it cannot be (its encoding and the error's name, never its bytes). */
export type ReceivedMessage = { message: unknown } | { problem: string; error: unknown };

/** The first argument of a signal received undecoded (receivedSignal); none is `undefined`, as before. */
export function receivedMessage(args: readonly unknown[]): ReceivedMessage {
  const raw = args[0];
  if (!(raw instanceof RawValue)) return { message: raw };
  try {
    return { message: defaultPayloadConverter.fromPayload(raw.payload) };
  } catch (error) {
    const named = encodingName(raw.payload.metadata?.encoding);
    // The error's message may quote the payload (JSON.parse does): only its name is said.
    return { problem: `the message cannot be decoded (encoding ${JSON.stringify(named)}: ${(error as Error)?.name ?? 'error'})`, error };
  }
}

/**
 * The message of a received signal, or undefined when it cannot be decoded and the run ignores it:
 * `ignoreUndecodable` asks the workflow's patch (asked only then, so other histories are unchanged);
 * a run without it fails its task as before, so a history recorded so replays as it ran.
 */
export function decodedOrIgnored(
  signal: string,
  args: readonly unknown[],
  ignoreUndecodable: () => boolean,
): { message: unknown } | undefined {
  const received = receivedMessage(args);
  if ('message' in received) return received;
  if (!ignoreUndecodable()) throw received.error;
  log.warn('Operator signal ignored', { signal, problem: received.problem });
  return undefined;
}

/** The payload's encoding as printable ASCII, at most 40 characters ('?' for anything else). */
function encodingName(bytes: Uint8Array | null | undefined): string {
  if (!bytes) return 'none';
  return Array.from(bytes.subarray(0, 40), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
}
