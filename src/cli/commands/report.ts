import { reconcileText } from '../../reconcile/reconcile-text';
import { CliUsageError } from '../../errors/cli-usage-error';
import { NotFoundError } from '../../errors/not-found-error';
import { driftFromCounts, driftText } from '../../sync/drift';
import { onePositional, stringOption, type Command } from '../command';
import { writeLedgerCsv } from '../ledger-csv';
import { EXIT } from '../exit-codes';
import { consentLatencyLines, consentLatencyOfRun } from '../consent-latency-report';
import { dailyRunLines } from '../daily-run-lines';
import { responseCountLines } from '../response-count-lines';
import { resultCodeText } from '../result-code-names';
import { leftOutAtRefillLines } from '../left-out-at-refill';
import { fieldLine, shownText } from '../terminal-text';

/** `report <run> [--csv <file> [--force]]`: counts, exclusion reasons and result codes; the ledger as CSV. */
export const reportCommand: Command = {
  name: 'report',
  usage: 'report <run id> [--csv <file> [--force]]',
  summary: 'counts, exclusion reasons and result codes of a run; --csv writes its ledger to a new file (--force: over an existing one)',
  options: { csv: { type: 'string' }, force: { type: 'boolean' } },
  async run(ctx, positionals, values) {
    const runId = onePositional(this, positionals, 'the run id (see campaign-sync runs)');
    const overwrite = Boolean(values.force);
    if (overwrite && values.csv === undefined) throw new CliUsageError('report: --force goes with --csv <file>', this.usage);
    const store = await ctx.store();
    const run = await store.runs.get(runId);
    if (!run || run.client !== ctx.client.key) throw new NotFoundError('run', runId, 'list the runs with: campaign-sync runs');
    const steps = await store.runs.steps(runId);
    const consentLatency = await consentLatencyOfRun(store, run, steps, ctx.client.consentLatencyObjectiveHours);
    if (run.kind === 'daily') {
      ctx.print({ run, steps, consentLatency }, () => [
        fieldLine`Run ${run.runId}: daily run of client ${run.client}, ${run.status}`,
        fieldLine`  started ${run.startedAt}, ended ${run.endedAt ?? '(still running)'}`,
        ...dailyRunLines(steps),
        ...consentLatencyLines(consentLatency),
      ]);
      return EXIT.ok;
    }
    const counts = await store.ledger.count(runId);
    const csv = stringOption(values, 'csv');
    const rows = csv ? await writeLedgerCsv(store, runId, csv, { overwrite }) : undefined;
    const restore = steps.find((step) => step.name === 'restore');
    const json = { run, ledger: counts, ...(restore ? { restore } : {}), ...(consentLatency ? { consentLatency } : {}) };
    ctx.print({ ...json, ...(csv ? { csv: { file: csv, rows } } : {}) }, () => [
      fieldLine`Run ${run.runId}: ${run.kind} ${run.listKey ?? ''} of client ${run.client}, ${run.status}`,
      fieldLine`  started ${run.startedAt}, ended ${run.endedAt ?? '(still running)'}`,
      ...(run.kind === 'responses' ? responseCountLines(run.counts) : []),
      `  rows read ${run.counts.rowsRead ?? '-'}; exported ${run.counts.exported ?? '-'}; verified ${run.counts.verifiedCount ?? '-'}` +
        (run.counts.windowSeconds === undefined || run.counts['reconcile.add'] !== undefined
          ? ''
          : `; clear-to-ready ${run.counts.windowSeconds.toFixed(2)} s`),
      ...optionalLine(reconcileText(run.counts)),
      `  sent ${counts.sent}, by result code: ${entries(counts.byResultCode, resultCodeText)}`,
      `  excluded ${counts.excluded}, by reason: ${entries(counts.byReason, (r) => r)}`,
      ...suppressedLines(run.counts),
      ...(counts.sanitized
        ? [
            `  sanitized ${counts.sanitized} attribute values (recipients sent), by field: ${entries(counts.bySanitizedField ?? {}, (f) => f)}`,
          ]
        : []),
      ...driftLines(run.counts),
      ...(run.counts.idnConverted ? [`  e-mail domains converted to punycode: ${run.counts.idnConverted}`] : []),
      ...(counts.rejected > 0
        ? [
            `  rejected ${counts.rejected}: refused by Optimizely on their own, not in the list (faults in --csv, or campaign-sync why <recipient>)`,
          ]
        : []),
      ...(restore ? [restoreLine(restore.status, restore.details)] : []),
      ...consentLatencyLines(consentLatency),
      ...(csv ? [fieldLine`  ledger written to ${csv} (${rows} rows)`] : []),
    ]);
    return EXIT.ok;
  },
};

/** What the suppression ledger decided, apart from the CRM's own exclusions: "suppressed at export". */
function suppressedLines(runCounts: Record<string, number>): string[] {
  const suppressed = Object.fromEntries(
    Object.entries(runCounts)
      .filter(([key]) => key.startsWith('suppressed.'))
      .map(([key, n]) => [key.slice('suppressed.'.length), n]),
  );
  const lines =
    Object.keys(suppressed).length > 0
      ? [
          `  suppressed at export (Optimizely's unsubscribes and bounces, whatever the CRM says), by reason: ${entries(suppressed, (r) => r)}`,
        ]
      : [];
  lines.push(...leftOutAtRefillLines(runCounts));
  return lines;
}

function entries(counts: Record<string, number>, label: (key: string) => string): string {
  const list = Object.entries(counts).sort(([, a], [, b]) => b - a);
  // The keys are reasons, fields and result codes as the ledger holds them: each shown as a field.
  return list.length === 0 ? 'none' : list.map(([key, n]) => fieldLine`${label(key)} ${n}`).join(', ');
}

/** The restore step of a list sync that failed after its clear: from where, or why the list is incomplete. */
function restoreLine(status: string, details: Record<string, unknown>): string {
  if (status === 'completed') {
    return fieldLine`  failed after its clear; RESTORED from the last good run ${details.fromRunId} (started ${details.fromStartedAt}), not ready: see campaign-sync report ${details.restoreRunId}`;
  }
  return `  failed after its clear; LIST LEFT INCOMPLETE, not restored: ${shownText(details.reason)}`;
}

/** The live list before the clear against what the last run left, when the run measured it. */
function optionalLine(text: string | undefined): string[] {
  return text ? [`  ${text}`] : [];
}

function driftLines(runCounts: Record<string, number>): string[] {
  const text = driftText(driftFromCounts(runCounts));
  return text ? [`  ${text}`] : [];
}
