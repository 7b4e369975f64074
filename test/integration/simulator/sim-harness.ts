// Starts a real simulator (HTTP, SQLite file in a temp folder, admin on) and speaks raw SOAP to it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../../src/simulator';
import { decodeSoapReply, type DecodedReply } from './soap-decode';

export const SEED_FILE = join(__dirname, '../../fixtures/simulator/seed.json');
export const MANDATOR = 1234;
export const REGULAR_LIST = 100;
export const OPTIN_LIST = 200;
export const FILTERED_LIST = 300;

export interface Harness {
  sim: RunningSimulator;
  dataFile: string;
  post(service: string, xml: string): Promise<DecodedReply>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  login(mandatorId?: number, username?: string, password?: string): Promise<string>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-test-'));
  const dataFile = join(dir, 'sim.db');
  const adminToken = randomBytes(16).toString('hex');
  const start = () => startSimulator({ port: 0, dataFile, seed: SEED_FILE, admin: true, adminToken, ...options });
  let sim = await start();
  const harness: Harness = {
    get sim() {
      return sim;
    },
    dataFile,
    async post(service, xml) {
      const res = await fetch(`${sim.url}/soap11/Rpc${service}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body: xml,
      });
      return decodeSoapReply(res.status, await res.text());
    },
    async admin(method, path, body) {
      const headers = { 'Content-Type': 'application/json', ...sim.adminHeaders };
      const res = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as unknown };
    },
    async login(mandatorId = MANDATOR, username = 'api-user', password = 'secret') {
      const reply = await harness.post(
        'Session',
        positional('login', [
          ['xsd:long', String(mandatorId)],
          ['xsd:string', username],
          ['xsd:string', password],
        ]),
      );
      if (typeof reply.value !== 'string') throw new Error(`login failed: ${reply.fault ?? reply.status}`);
      return reply.value;
    },
    async restart() {
      await sim.stop();
      sim = await start();
    },
    async close() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

const ENV_OPEN =
  '<?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body>';
const ENV_CLOSE = '</SOAP-ENV:Body></SOAP-ENV:Envelope>';

const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export type PositionalArg = [string, string] | ['array', string[]] | ['array2', string[][]];

/** The PowerShell (APT) style: unqualified operation, in0…, xsi:type, SOAP-ENC:arrayType, <item>s. */
export function positional(operation: string, args: PositionalArg[]): string {
  const params = args
    .map(([type, value], i) => {
      if (type === 'array') return arrayParam(`in${i}`, value as string[]);
      if (type === 'array2') {
        const rows = value as string[][];
        const inner = rows
          .map((row) => `<item SOAP-ENC:arrayType="xsd:string[${row.length}]" xsi:type="SOAP-ENC:Array">${items(row)}</item>`)
          .join('');
        return `<in${i} SOAP-ENC:arrayType="xsd:string[][${rows.length}]" xsi:type="ArrayOfArrayOf_xsd_string">${inner}</in${i}>`;
      }
      return `<in${i} xsi:type="${type}">${esc(value as string)}</in${i}>`;
    })
    .join('');
  return `${ENV_OPEN}<${operation}>${params}</${operation}>${ENV_CLOSE}`;
}

function items(values: string[]): string {
  return values.map((v) => `<item>${esc(v)}</item>`).join('');
}

function arrayParam(name: string, values: string[]): string {
  return `<${name} SOAP-ENC:arrayType="xsd:string[${values.length}]" xsi:type="ArrayOf_xsd_string">${items(values)}</${name}>`;
}

/** The Ruby Savon (VCR) style: qualified operation, named children, no types, <element> items. */
export function named(service: string, operation: string, children: Record<string, string | string[]>): string {
  const body = Object.entries(children)
    .map(([name, value]) =>
      Array.isArray(value)
        ? `<${name}>${value.map((v) => `<element>${esc(v)}</element>`).join('')}</${name}>`
        : `<${name}>${esc(value)}</${name}>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"' +
    ` xmlns:impl="urn:api.broadmail.de/soap11/Rpc${service}"><env:Body><impl:${operation}>${body}</impl:${operation}></env:Body></env:Envelope>`
  );
}

/** Ten attribute names of the seeded lists, and a row of values for them. */
export const FIELDS = ['email', 'opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', 'firstname'];
export const rowFor = (id: string): string[] => [id, '7', 'test', 'email', 'contact', `c-${id.length}`, 'Ann'];
