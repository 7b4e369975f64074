import type { RunResult } from './client-run';
import type { Totals } from './measure';

interface Side extends Totals {
  result: RunResult;
  inList: number;
}

export interface Report {
  recipients: number;
  batches: number;
  rounds: number;
  concurrency: number;
  baseline: Side;
  ours: Side;
}

export function report({ recipients, batches, rounds, concurrency, baseline, ours }: Report): void {
  console.log(
    `soap-refill: ${recipients} recipients x 10 attributes, ${batches} addAll3 batches of 1000, ${rounds} alternating rounds, simulator in a child process`,
  );
  const baseRate = row('baseline (soap package, sequential)', baseline, recipients, batches);
  const ourRate = row(`campaign-sync client (concurrency ${concurrency})`, ours, recipients, batches);
  const ratio = ourRate / baseRate;
  // The simulator is one Node process: even with a core to itself it could take no more than this.
  console.log(
    `simulator-bound ceiling ${(recipients / (ours.serverCpuMs / 1000)).toFixed(0)} rec/s; client CPU ratio ${(baseline.cpuMs / ours.cpuMs).toFixed(1)}x`,
  );
  console.log(`speed-up ${ratio.toFixed(2)}x`);
  console.log(`${ratio >= 3 ? 'PASS' : 'FAIL'}  throughput >= 3x baseline (${ratio.toFixed(2)}x)`);
  console.log(`${ourRate >= 20_000 ? 'PASS' : 'FAIL'}  throughput >= 20,000 recipients/s (${ourRate.toFixed(0)})`);
  const complete = ours.result.codes.length === recipients && ours.inList === recipients;
  console.log(
    `${complete ? 'PASS' : 'FAIL'}  every recipient answered and in the list (${ours.result.codes.length} codes, ${ours.inList} in list)`,
  );
}

function row(name: string, side: Side, recipients: number, batches: number): number {
  const rate = recipients / (side.wallMs / 1000);
  const added = side.result.codes.filter((code) => code === 0).length;
  console.log(
    `${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} rec/s ${(side.wallMs / 1000).toFixed(2).padStart(6)} s  ` +
      `client CPU ${(side.cpuMs / batches).toFixed(1).padStart(5)} ms/batch  simulator CPU ${(side.serverCpuMs / batches).toFixed(1).padStart(5)} ms/batch  ` +
      `${(side.result.requestBytes / recipients).toFixed(0)} B/recipient  codes ${side.result.codes.length} (0: ${added}), in list ${side.inList}`,
  );
  return rate;
}
