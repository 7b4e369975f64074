import type { HttpReply, SoapTransport } from '../../../src/optimizely/client/http-transport';
import { soapFixture } from './soap-fixtures';

/** Answers by operation name from a table of replies (an Error rejects); records the operations called and their caps. */
export function stubTransport(replies: Record<string, (HttpReply | 'hang' | Error)[]>) {
  const calls: string[] = [];
  const caps: number[] = [];
  const transport: SoapTransport = {
    post: (_url, body, signal, maxResponseBytes) => {
      const operation = /<ns1:(\w+) /.exec(body)![1]!;
      calls.push(operation);
      caps.push(maxResponseBytes);
      const reply = replies[operation]?.shift();
      if (!reply) return Promise.reject(new Error(`no reply for ${operation}`));
      if (reply instanceof Error) return Promise.reject(reply);
      if (reply !== 'hang') return Promise.resolve(reply);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    },
    close: () => undefined,
  };
  return { transport, calls, caps };
}

export const ok = (file: string): HttpReply => ({ status: 200, body: soapFixture(file) });
export const fault = (file: string): HttpReply => ({ status: 500, body: soapFixture(file) });
