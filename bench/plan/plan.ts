// `campaign-sync plan` against its parts, in the same run on the same data: the export alone (the
// nightly export's code, rows discarded), the live list read alone (getAllAdvancedFlat into the
// scratch index), and the plan (both plus the diff). The list is first filled with exactly the
// export's accepted recipients, so the plan must find everything unchanged.
// PASS when the plan takes at most 1.5 × (export + read).
// usage: tsx bench/plan/plan.ts [contacts=20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config';
import { openCrm } from '../../src/crm/open-crm';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { createLiveIndex } from '../../src/plan/live-index';
import { planFields } from '../../src/plan/plan-fields';
import { planList } from '../../src/plan/plan-list';
import { LIVE_READ_CONCURRENCY, readLiveList } from '../../src/plan/read-live-list';
import { openOptimizelyClient } from '../../src/stack/open-optimizely-client';
import { createStateStore } from '../../src/store/create-state-store';
import { listRules } from '../../src/sync/config-lookup';
import { addAll3Input, attributeNamesFor } from '../../src/sync/recipient-batch';
import type { SnapshotRow } from '../../src/store/types';
import { exportAndValidate } from '../../src/validation/export-and-validate';
import { demoCrm, print } from '../crm-export/demo-crm-files';
import { startChildSimulator } from '../soap-refill/start-child';

async function main(contacts: number): Promise<void> {
  const crmFile = demoCrm(contacts);
  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  const sim = await startChildSimulator(demoSimulatorSeed());
  process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
  const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw configuration
  Object.assign(raw.clients[0], { key: 'bench', endpoint: sim.url });
  Object.assign(raw, { dataDir: join(dir, 'data') });
  raw.crm.file = crmFile;
  raw.store.file = join(dir, 'state.sqlite');
  const config = parseConfig(raw, 'bench', dir);
  const client = config.clients[0]!;
  const list = client.lists.find((l) => l.key === 'newsletter')!;
  const rules = listRules(config, client.key, list);
  const crm = openCrm(config.crm);
  const store = await createStateStore(config.store.kind === 'sqlite' ? config.store : { kind: 'sqlite', file: join(dir, 'state.sqlite') });
  const optimizely = openOptimizelyClient(client, process.env);
  try {
    const names = attributeNamesFor(rules.attributes);
    let batch: SnapshotRow[] = [];
    const pending: Promise<unknown>[] = [];
    const flush = async () => {
      if (batch.length > 0) pending.push(optimizely.recipient.addAll3(addAll3Input(batch, list, names)));
      batch = [];
      if (pending.length >= client.concurrency) await Promise.all(pending.splice(0));
    };
    await exportAndValidate({
      crm,
      rules,
      accepted: {
        write: async ({ recipient }) => {
          batch.push(recipient as unknown as SnapshotRow);
          if (batch.length === 1000) await flush();
        },
      },
      excluded: { write: () => undefined },
    });
    await flush();
    await Promise.all(pending);

    const time = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
      const started = performance.now();
      const value = await run();
      return [(performance.now() - started) / 1000, value];
    };
    const [exportSeconds, counts] = await time(() =>
      exportAndValidate({ crm, rules, accepted: { write: () => undefined }, excluded: { write: () => undefined } }),
    );
    // The read one page at a time (the baseline) and with the reader's concurrency (what plan and reconcile use).
    const readList = async (concurrency: number) => {
      const index = createLiveIndex();
      try {
        return await readLiveList({ optimizely, listId: list.listId, fields: planFields(list, rules.attributes), index, concurrency });
      } finally {
        index.close();
      }
    };
    await fetch(`${sim.url}/admin/requests`, { method: 'DELETE' });
    const [sequentialSeconds] = await time(() => readList(1));
    const serverSeconds = await pageServerSeconds(sim.url);
    const [readSeconds, read] = await time(() => readList(LIVE_READ_CONCURRENCY));
    const [planSeconds, plan] = await time(() => planList({ client: client.key, list, rules, crm, store, optimizely }));
    print(`contacts ${contacts}: rows read ${counts.rowsRead}, accepted ${counts.accepted}, list ${read.count} (${read.pages} pages)`);
    print(
      `export alone ${exportSeconds.toFixed(2)} s; list read alone ${readSeconds.toFixed(2)} s (${LIVE_READ_CONCURRENCY} pages at once; one at a time ${sequentialSeconds.toFixed(2)} s, of which the simulator answering pages ${serverSeconds.toFixed(2)} s); plan ${planSeconds.toFixed(2)} s`,
    );
    print(
      `diff add ${plan.diff.add}, remove ${plan.diff.remove}, update ${plan.diff.update}, unchanged ${plan.diff.unchanged}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    const ratio = planSeconds / (exportSeconds + readSeconds);
    const ok = ratio <= 1.5 && plan.diff.unchanged === counts.accepted && plan.diff.add + plan.diff.remove + plan.diff.update === 0;
    print(`plan / (export + read) = ${ratio.toFixed(2)} (target ≤ 1.5, and everything unchanged)`);
    print(ok ? 'PASS' : 'FAIL');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await Promise.allSettled([optimizely.close(), crm.close(), store.close()]);
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds the simulator spent answering getAllAdvancedFlat since its request log was cleared. */
async function pageServerSeconds(url: string): Promise<number> {
  const { requests } = (await (await fetch(`${url}/admin/requests`)).json()) as {
    requests: Array<{ operation: string; durationMs: number }>;
  };
  return requests.filter((r) => r.operation === 'getAllAdvancedFlat').reduce((sum, r) => sum + r.durationMs, 0) / 1000;
}

const contacts = Number(process.argv[2] ?? 20_000);
// A mistyped size (`--contacts 100000`) must not run an empty plan and print PASS.
if (!Number.isSafeInteger(contacts) || contacts < 1) {
  console.error(`usage: npx tsx bench/plan/plan.ts [contacts=20000]; got ${JSON.stringify(process.argv[2])}, not a positive integer`);
  process.exit(2);
}

main(contacts).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
