// POSTs envelopes over keep-alive connections with node:http(s): lighter per request than fetch,
// and the agent's socket pool is sized to the client's concurrency so connections are reused.
import http from 'node:http';
import https from 'node:https';

export interface HttpReply {
  status: number;
  body: string;
}

export interface SoapTransport {
  post(url: URL, body: string, signal: AbortSignal): Promise<HttpReply>;
  close(): void;
}

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export function createHttpTransport({ maxSockets }: { maxSockets: number }): SoapTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  return {
    post: (url, body, signal) => post(url, body, signal, url.protocol === 'https:' ? agents['https:'] : agents['http:']),
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function post(url: URL, body: string, signal: AbortSignal, agent: http.Agent): Promise<HttpReply> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
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
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}
