// bench/reconcile: the two list strategies on the same data in one process. The demo CRM is
// generated once under .data/bench/reconcile/; each strategy gets a copy, its own simulator and
// worker (child processes), a day-1 sync that fills the newsletter list, the same day of churn
// (0.5% leave, 0.5% join, 1% change the city), and the measured day-2 list sync; with --days N
// also days 3..N, each after its own day of churn (the steady state: reconcile's `kept` spans extended).
// Targets: reconcile writes ≤ 5% of refresh's recipients, its list-sync wall time ≤ refresh's, window 0 s.
// --latency-ms adds a per-call delay at the simulator (network and server time of the real service).
// Usage: npx tsx bench/reconcile/index.ts [--contacts 20000] [--latency-ms 0] [--days 2]
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { formatActivitySeconds } from './activity-times';
import { runStrategy, type StrategyResult } from './run-strategy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contacts: { type: 'string', default: '20000' },
      'latency-ms': { type: 'string', default: '0' },
      days: { type: 'string', default: '2' },
    },
  });
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 2) throw new Error(`--days must be an integer ≥ 2 (day 1 fills the list), got ${values.days}`);
  const contacts = Number(values.contacts);
  if (!Number.isInteger(contacts) || contacts < 1000) throw new Error(`--contacts must be an integer ≥ 1000, got ${values.contacts}`);
  const latencyMs = Number(values['latency-ms']);
  if (!(latencyMs >= 0)) throw new Error(`--latency-ms must be a number ≥ 0, got ${values['latency-ms']}`);
  const dir = resolve('.data/bench/reconcile', String(contacts));
  mkdirSync(dir, { recursive: true });
  const baseCrm = join(dir, 'crm.sqlite');
  if (!existsSync(baseCrm)) {
    process.stderr.write(`[bench] generating the demo CRM with ${contacts} contacts\n`);
    generateDemoCrm({ contacts, file: `${baseCrm}.tmp`, seed: 1 });
    renameSync(`${baseCrm}.tmp`, baseCrm);
  }
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const bundleFile = join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
    writeFileSync(bundleFile, code);
    const refresh = await runStrategy('refresh', baseCrm, join(dir, 'refresh'), server.address, client, bundleFile, latencyMs, days);
    const reconcile = await runStrategy('reconcile', baseCrm, join(dir, 'reconcile'), server.address, client, bundleFile, latencyMs, days);
    const verdicts = refresh.map((r, i) => report(contacts, latencyMs, r, reconcile[i] as StrategyResult));
    process.exitCode = verdicts.every(Boolean) ? 0 : 1;
  } finally {
    await connection.close();
    await server.stop();
  }
}

/** One measured day's figures and targets; true when every target passes. */
function report(contacts: number, latencyMs: number, refresh: StrategyResult, reconcile: StrategyResult): boolean {
  const c = refresh.churn;
  console.log(
    `\n== day ${refresh.day}: ${contacts.toLocaleString('en')} contacts, ${latencyMs} ms simulator latency per call; newsletter contacts ${c.listContacts}; churn: leave ${c.leave}, join ${c.join}, change ${c.change}`,
  );
  for (const r of [refresh, reconcile]) {
    const t = r.traffic;
    console.log(
      `${r.strategy.padEnd(9)} list ${r.listRecipients}; SOAP calls ${t.calls} (writes ${t.writeCalls}: ${JSON.stringify(t.writes)}); recipients written ${r.recipientsWritten}; request bytes ${t.requestBytes} (writes ${t.writeRequestBytes}); list sync ${r.listSyncSeconds.toFixed(2)} s; window ${r.windowSeconds.toFixed(2)} s`,
    );
  }
  for (const r of [refresh, reconcile]) console.log(`${r.strategy.padEnd(9)} activities (s): ${formatActivitySeconds(r.activities)}`);
  for (const r of [refresh, reconcile])
    console.log(
      `${r.strategy.padEnd(9)} CPU during the daily sync (s): worker ${r.cpuSeconds.worker.toFixed(2)}, simulator ${r.cpuSeconds.simulator.toFixed(2)}`,
    );
  const rc = reconcile.counts;
  console.log(
    `reconcile diff: add ${rc['reconcile.add']}, remove ${rc['reconcile.remove']}, update ${rc['reconcile.update']}, unchanged ${rc['reconcile.unchanged']}`,
  );
  const share = reconcile.recipientsWritten / refresh.recipientsWritten;
  const checks: Array<[boolean, string]> = [
    [reconcile.listRecipients === refresh.listRecipients, `same list after both: ${reconcile.listRecipients} = ${refresh.listRecipients}`],
    [share <= 0.05, `reconcile writes ${(share * 100).toFixed(2)}% of refresh's recipients (target ≤ 5%)`],
    [
      reconcile.listSyncSeconds <= refresh.listSyncSeconds,
      `reconcile list sync ${reconcile.listSyncSeconds.toFixed(2)} s ≤ refresh ${refresh.listSyncSeconds.toFixed(2)} s`,
    ],
    [reconcile.windowSeconds === 0, `reconcile window ${reconcile.windowSeconds} s = 0 s (refresh ${refresh.windowSeconds.toFixed(2)} s)`],
  ];
  console.log(`\n== targets, day ${refresh.day}`);
  for (const [ok, text] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${text}`);
  return checks.every(([ok]) => ok);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
