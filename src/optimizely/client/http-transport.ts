// POSTs envelopes over keep-alive connections with node:http(s): lighter per request than fetch,
// and the agent's socket pool is sized to the client's concurrency so connections are reused.
import http from 'node:http';
import https from 'node:https';
import { readResponseBody } from './read-response-body';

export interface HttpReply {
  status: number;
  body: string;
}

export interface PostOptions {
  /**
   * Whether the request may be sent once more when a reused keep-alive connection is reset before
   * any answer. Only for a call that changes nothing at Optimizely (a read): the reset cannot tell
   * whether the server read the request first, so a write sent again could apply twice. Default false.
   */
  resendOnStaleConnection?: boolean;
}

export interface SoapTransport {
  /**
   * POSTs an envelope; the answer is read only up to `maxResponseBytes` (after decompression) and
   * only as valid UTF-8, otherwise the promise rejects with a ResponseRejection.
   */
  post(url: URL, body: string, signal: AbortSignal, maxResponseBytes: number, options?: PostOptions): Promise<HttpReply>;
  close(): void;
}

// Setting an agent timeout also makes Node honour the server's `Keep-Alive: timeout=N` hint and drop
// idle sockets a second before the server would (Node ignores the hint when no timeout is set).
const IDLE_SOCKET_TIMEOUT_MS = 30_000;
// Errors of a request that went out on a reused keep-alive socket and failed before any answer.
const staleSocketErrors = new WeakSet<object>();

export function createHttpTransport({ maxSockets }: { maxSockets: number }): SoapTransport {
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return {
    post: async (url, body, signal, maxResponseBytes, { resendOnStaleConnection = false } = {}) => {
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      try {
        return await post({ url, body, signal, agent, maxResponseBytes });
      } catch (error) {
        // Most often the server closed an idle connection as we reused it and never read the request.
        // But a server (or a proxy) that read it, applied it and then dropped the connection ends
        // the same way, and nothing here tells the two apart: the bytes were handed to the socket.
        // So only a read is sent once more on a fresh connection (the pattern Node's docs recommend,
        // for idempotent requests); a write's error goes to its caller, whose retry knows what a
        // repeated batch answers (docs/optimizely-client.md, "Concurrency, timeouts, HTTP").
        // (No instanceof Error here: Node's errors come from another realm under Jest's VM.)
        if (!resendOnStaleConnection || typeof error !== 'object' || error === null || !staleSocketErrors.has(error) || signal.aborted)
          throw error;
        return post({ url, body, signal, agent, maxResponseBytes });
      }
    },
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

interface PostInput {
  url: URL;
  body: string;
  signal: AbortSignal;
  agent: http.Agent;
  maxResponseBytes: number;
}

function post({ url, body, signal, agent, maxResponseBytes }: PostInput): Promise<HttpReply> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request(url, {
      method: 'POST',
      agent,
      signal,
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        // Axis ignores SOAPAction (reference 1.2: soapAction=""), but SOAP 1.1 requires the header.
        SOAPAction: '""',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!responded && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) staleSocketErrors.add(error);
      reject(error);
    });
    req.on('response', (res) => {
      responded = true;
      readResponseBody(res, maxResponseBytes, (error) => req.destroy(error)).then(
        (text) => resolve({ status: res.statusCode ?? 0, body: text }),
        reject,
      );
    });
    req.end(body);
  });
}
