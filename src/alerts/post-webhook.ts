import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A webhook delivery that failed; its message never contains the URL (a secret) nor the response body. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
}

export interface PostOptions {
  timeoutMs: number;
  /** At most this much of the response is read, then the connection is dropped. */
  maxResponseBytes?: number;
}

/**
 * POSTs JSON to a webhook. The receiver is not trusted: the whole exchange is bounded by `timeoutMs`,
 * at most `maxResponseBytes` of the answer are read, and a redirect is a failure (never followed, so a
 * receiver cannot send the payload to another host). Resolves with the status of a 2xx answer.
 */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<number> {
  const target = parseWebhookUrl(url);
  const data = Buffer.from(JSON.stringify(body));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => reject(new WebhookDeliveryError(`webhook delivery failed: ${reason}`));
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': data.length, 'user-agent': 'campaign-sync' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : (error.code ?? 'network error'),
      ),
    );
    req.on('response', (res: IncomingMessage) => {
      drainBounded(res, options.maxResponseBytes ?? 65_536, () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else if (status >= 300 && status < 400) fail(`HTTP ${status} redirect (not followed)`);
        else fail(`HTTP ${status}`);
      });
    });
    req.end(data);
  });
}

/** Reads and discards at most `limit` bytes of the answer; a longer one is cut off. */
function drainBounded(res: IncomingMessage, limit: number, done: () => void): void {
  let read = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  res.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limit) {
      res.destroy();
      finish();
    }
  });
  res.on('end', finish);
  res.on('close', finish);
  res.on('error', finish);
}

/** Only http and https; the error names the problem, never the URL. */
export function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new WebhookDeliveryError('webhook URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new WebhookDeliveryError('webhook URL must be http or https');
  return parsed;
}
