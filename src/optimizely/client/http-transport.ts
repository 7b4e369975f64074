// POSTs envelopes over keep-alive connections with node:http(s): lighter per request than fetch,
// and the agent's socket pool is sized to the client's concurrency so connections are reused.
import http from 'node:http';
import https from 'node:https';
import { readResponseBody } from './read-response-body';

export interface HttpReply {
  status: number;
  body: string;
}

export interface SoapTransport {
  /**
   * POSTs an envelope; the answer is read only up to `maxResponseBytes` (after decompression) and
   * only as valid UTF-8, otherwise the promise rejects with a ResponseRejection.
   */
  post(url: URL, body: string, signal: AbortSignal, maxResponseBytes: number): Promise<HttpReply>;
  close(): void;
}

// Setting an agent timeout also makes Node honour the server's `Keep-Alive: timeout=N` hint and drop
// idle sockets a second before the server would (Node ignores the hint when no timeout is set).
const IDLE_SOCKET_TIMEOUT_MS = 30_000;
// Errors of a request that went out on a reused keep-alive socket the server had just closed.
const staleSocketErrors = new WeakSet<object>();

export function createHttpTransport({ maxSockets }: { maxSockets: number }): SoapTransport {
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_TIMEOUT_MS };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return {
    post: async (url, body, signal, maxResponseBytes) => {
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      try {
        return await post({ url, body, signal, agent, maxResponseBytes });
      } catch (error) {
        // The server closed an idle connection as we reused it, so it never read the request:
        // sending it once more on a fresh connection is safe (the pattern Node's docs recommend).
        // (No instanceof Error here: Node's errors come from another realm under Jest's VM.)
        if (typeof error !== 'object' || error === null || !staleSocketErrors.has(error) || signal.aborted) throw error;
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
