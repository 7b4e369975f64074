// bench/soap-refill/scan-cpu.ts: the simulator's CPU for reading one addAll3 envelope of 1000
// recipients x 10 attributes as the client writes it (scanXml, then the Envelope and the binding),
// beside the scanner before its leaf fast path (test/helpers/reference-xml-scanner.ts), alternating
// in the same run so load from other processes falls on both.
// Usage: npx tsx bench/soap-refill/scan-cpu.ts [--rounds 5] [--calls 300]
import { parseArgs } from 'node:util';
import { API_SURFACE, SOAP_NAMESPACE } from '../../src/optimizely/api/surface';
import { writeRequest } from '../../src/optimizely/client/codec/request-writer';
import { bindParams } from '../../src/simulator/soap/binder';
import { readOperationCall } from '../../src/simulator/soap/envelope';
import { scanXml } from '../../src/simulator/soap/xml-scanner';
import type { XmlNode } from '../../src/simulator/soap/xml-node';
import { referenceScanXml } from '../../test/helpers/reference-xml-scanner';
import { ATTRIBUTES, batches } from './workload';

const addAll3 = API_SURFACE.find((s) => s.service === 'Recipient')!.operations.find((o) => o.name === 'addAll3')!;

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, calls: { type: 'string', default: '300' } } });
  const rounds = Number(values.rounds);
  const calls = Number(values.calls);
  const batch = batches(1000, 1000)[0]!;
  const args = ['session', 200, 0, batch.recipientIds, batch.addresses, ATTRIBUTES, batch.attributeValues];
  // Through a Buffer and back, as the simulator receives it (a flat string decoded from UTF-8).
  const xml = Buffer.from(writeRequest({ namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args })).toString('utf8');
  const read = (scan: (text: string) => XmlNode) => () => {
    const call = readOperationCall(scan(xml));
    return bindParams(addAll3, call.params, call.refs);
  };
  const sides = { before: read(referenceScanXml), after: read(scanXml) };
  const totals = { before: 0, after: 0 };
  for (const side of Object.values(sides)) for (let i = 0; i < calls; i += 1) side();
  for (let round = 0; round < rounds; round += 1) {
    for (const name of ['before', 'after'] as const) {
      const start = process.cpuUsage();
      for (let i = 0; i < calls; i += 1) sides[name]();
      const used = process.cpuUsage(start);
      totals[name] += (used.user + used.system) / 1000;
    }
  }
  const perCall = (ms: number) => (ms / (rounds * calls)).toFixed(3);
  console.log(
    `addAll3 envelope of 1000 recipients x ${ATTRIBUTES.length} attributes, ${Buffer.byteLength(xml)} bytes, ${rounds} x ${calls} calls`,
  );
  console.log(`read and bound: before ${perCall(totals.before)} ms/call, after ${perCall(totals.after)} ms/call CPU`);
}

main();
