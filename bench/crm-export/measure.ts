import Database from 'better-sqlite3';
import { crmConfigSchema, type SqliteCrmConfig } from '../../src/crm/crm-config';
import type { CrmRow } from '../../src/crm/crm-port';
import { openSqliteCrm } from '../../src/crm/sql/sqlite-crm';
import { DEMO_ATTRIBUTES, DEMO_LISTS, demoCrmLists, demoSelectionQuery } from '../../src/demo/demo-lists';
import { exportAndValidate } from '../../src/validation/export-and-validate';
import { listRulesSchema } from '../../src/validation/list-rules';
import type { SendabilityCheck } from '../../src/validation/sendability';
import { validateRow } from '../../src/validation/validate-row';

// One measurement in a fresh process, so its peak RSS belongs to this run alone.
// usage: tsx measure.ts <demo-crm.db> stream|unchecked|all ; prints one JSON line.
// `unchecked` is the streamed export with the sendability stage replaced by a pass-through: the
// export as it was before that stage, measured in the same run as the real one.

const [file, mode] = process.argv.slice(2);
const list = DEMO_LISTS[0]!;
const rules = listRulesSchema.parse({ listKey: list.listKey, optInId: list.optInId, attributes: DEMO_ATTRIBUTES });

const passThrough: SendabilityCheck = (recipient) => ({ ok: true, recipient, sanitized: [] });

async function streamed(checkSendable?: SendabilityCheck): Promise<{ rows: number; accepted: number }> {
  const crm = openSqliteCrm(crmConfigSchema.parse({ kind: 'sqlite', file, lists: demoCrmLists() }) as SqliteCrmConfig);
  // The sinks touch each row so the work cannot be skipped; real sinks write the snapshot and ledger.
  let touched = 0;
  const counts = await exportAndValidate({
    crm,
    rules,
    checkSendable,
    accepted: { write: (a) => void (touched += a.recipient.recipientId.length > 0 ? 1 : 0) },
    excluded: { write: (e) => void (touched += e.rowNumber > 0 ? 1 : 0) },
  });
  await crm.close();
  if (touched !== counts.rowsRead) throw new Error('a row reached no sink');
  return { rows: counts.rowsRead, accepted: counts.accepted };
}

// The baseline: the whole selection in memory at once with .all(), then validated (no de-duplication).
async function loadedAtOnce(): Promise<{ rows: number; accepted: number }> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare(demoSelectionQuery(list)).all() as CrmRow[];
  const accepted = rows.filter((row, i) => validateRow(row, rules, i + 1).ok).length;
  db.close();
  return { rows: rows.length, accepted };
}

async function main(): Promise<void> {
  const started = performance.now();
  const result = mode === 'all' ? await loadedAtOnce() : await streamed(mode === 'unchecked' ? passThrough : undefined);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ mode, ...result, seconds, rowsPerSecond: Math.round(result.rows / seconds), peakRssMb: Math.round(peakRssMb) })}\n`,
  );
}

void main();
