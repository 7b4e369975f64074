import { postJson, WebhookDeliveryError } from '../../../src/alerts/post-webhook';
import { answerFail, answerOk, startAlertReceiver } from '../../helpers/alert-receiver';

// The webhook receiver is hostile: these run against a real HTTP server that misbehaves.
describe('postJson', () => {
  const receivers: Array<{ stop(): Promise<void> }> = [];
  const start = async (...args: Parameters<typeof startAlertReceiver>) => {
    const receiver = await startAlertReceiver(...args);
    receivers.push(receiver);
    return receiver;
  };
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });

  it('POSTs the JSON body and resolves with a 2xx status', async () => {
    const receiver = await start(answerOk);
    await expect(postJson(receiver.url, { state: 'open' }, { timeoutMs: 5000 })).resolves.toBe(204);
    expect(receiver.payloads()).toEqual([{ state: 'open' }]);
  });

  it('fails on an error status, naming the status and never the URL', async () => {
    const receiver = await start(answerFail);
    const error = await postJson(receiver.url, {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(String(error)).toContain('HTTP 503');
    expect(String(error)).not.toContain('secret-token');
    expect(String(error)).not.toContain('down for the test');
  });

  it('does not follow a redirect, to another host or any', async () => {
    const elsewhere = await start(answerOk);
    const redirecting = await start((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
    await expect(postJson(redirecting.url, {}, { timeoutMs: 5000 })).rejects.toThrow(/HTTP 307 redirect \(not followed\)/);
    expect(elsewhere.bodies).toEqual([]);
  });

  it('gives up after the timeout on a receiver that never answers', async () => {
    const silent = await start(() => undefined);
    const error = await postJson(silent.url, {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(String(error)).toContain('no answer within 200 ms');
    expect(String(error)).not.toContain('secret-token');
  });

  it('reads a bounded part of an endless answer and returns', async () => {
    const endless = await start((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    });
    await expect(postJson(endless.url, {}, { timeoutMs: 5000, maxResponseBytes: 1024 })).resolves.toBe(200);
  });

  it('refuses a URL that is not http(s), without echoing it', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://host/secret-token', 'not a url secret-token']) {
      const error = await postJson(url, {}, { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebhookDeliveryError);
      expect(String(error)).not.toContain('secret-token');
    }
  });
});
