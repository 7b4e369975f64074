// POST /soap11/Rpc<Name> and GET /soap11/Rpc<Name>?wsdl (service name case-insensitive).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import { findService, servicePath } from '../../optimizely/api/surface';
import { generateWsdl } from '../../optimizely/api/wsdl';
import { type DispatchDeps, dispatchSoap } from '../soap/dispatch';
import { writeFault } from '../soap/response-writer';
import { SoapFault } from '../soap/soap-fault';
import { readBody } from './body';
import { BodyEncodingError } from './body-encoding-error';
import { BodyTooLargeError } from './body-too-large-error';

const SOAP_PATH = /^\/soap11\/rpc([a-z0-9]+)\/?$/i;
const XML_TYPE = 'text/xml;charset=utf-8';

export function isSoapPath(path: string): boolean {
  return SOAP_PATH.test(path);
}

export async function handleSoap(
  deps: DispatchDeps & { maxBodyBytes: number },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const service = findService(SOAP_PATH.exec(url.pathname)?.[1] ?? '');
  if (!service) return send(res, 404, 'text/plain', 'Not found');
  if (req.method === 'GET' && [...url.searchParams.keys()].some((k) => k.toLowerCase() === 'wsdl')) {
    const endpoint = `http://${req.headers.host ?? 'localhost'}${servicePath(service.service)}`;
    return send(res, 200, XML_TYPE, generateWsdl(service.service, endpoint));
  }
  if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Method not allowed');
  const started = Date.now();
  let xml: string;
  try {
    xml = await readBody(req, deps.maxBodyBytes);
  } catch (error) {
    const text = error instanceof BodyTooLargeError || error instanceof BodyEncodingError ? error.message : 'unreadable body';
    const fault = SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: ${text}`);
    res.setHeader('Connection', 'close');
    return send(res, 500, XML_TYPE, writeFault(fault.faultString));
  }
  const reply = await dispatchSoap(deps, service, xml);
  deps.sim.requestLog.add({
    time: deps.sim.clock.now(),
    service: service.service,
    operation: reply.operation,
    mandatorId: reply.mandatorId,
    httpStatus: reply.status,
    fault: reply.fault,
    durationMs: Date.now() - started,
    bytesIn: Buffer.byteLength(xml),
  });
  send(res, reply.status, reply.body === '' ? 'text/plain' : XML_TYPE, reply.body);
}

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  // The real service sends no reason phrase after the status code (API notes §8.1).
  res.writeHead(status, '', { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
