import { WorkflowFailedError } from '@temporalio/client';
import { requireList } from '../../operations/operations';
import { startRun, type StartedRun } from '../../operations/start-run';
import type { CliContext } from '../cli-context';
import { stringOption, wholeNumberOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { listRunLines, startedLine } from '../list-action-lines';
import { printDailySummary } from '../print-daily-summary';
import { MESSAGE_MAX } from '../print-error';
import { boundedLine } from '../terminal-text';

/** `run [--list <key>] [--wait]`: the daily run now, or one list sync alone. */
export const runCommand: Command = {
  name: 'run',
  usage: 'run [--list <key>] [--wait] [--batches-per-activity <n>]',
  summary: 'start the daily run now, or one list sync alone; --wait prints its summary',
  options: { list: { type: 'string' }, wait: { type: 'boolean' }, 'batches-per-activity': { type: 'string' } },
  async run(ctx, _positionals, values) {
    const tuning =
      stringOption(values, 'batches-per-activity') === undefined
        ? {}
        : { batchesPerActivity: wholeNumberOption(this, values, 'batches-per-activity', { min: 1, max: 10_000, default: 1 }) };
    const listKey = stringOption(values, 'list');
    // Checked before Temporal is reached: a typo is exit 3 naming the list, not a wait for a server.
    if (listKey !== undefined) requireList(ctx.client, listKey);
    const started = await startRun(await ctx.operations(), ctx.by, listKey, tuning);
    const workflowId = started.handle.workflowId;
    if (!values.wait) {
      ctx.print({ workflowId, kind: started.kind }, () => [startedLine(workflowId, false)]);
      return EXIT.ok;
    }
    if (!ctx.json) ctx.io.out(startedLine(workflowId, true));
    try {
      return await waitAndReport(ctx, started);
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
      // The failure's message is the workflow's (a fault or CRM text inside): one bounded line.
      ctx.io.err(`${workflowId} failed: ${boundedLine(error.cause?.message ?? error.message, MESSAGE_MAX)}`);
      return EXIT.failure;
    }
  },
};

// Paused and skipped lists were deliberate; anything else but ready needs a look.
const FINE = new Set(['ready', 'paused', 'skipped']);

async function waitAndReport(ctx: CliContext, started: StartedRun): Promise<number> {
  if (started.kind === 'daily') {
    const status = await started.handle.result();
    if (ctx.json) ctx.io.out(JSON.stringify(status, null, 2));
    else await printDailySummary(status, await ctx.store(), ctx.io.out);
    return Object.values(status.lists).every((list) => FINE.has(list.state)) ? EXIT.ok : EXIT.failure;
  }
  const result = await started.handle.result();
  ctx.print(result, () => listRunLines(result));
  return FINE.has(result.status) ? EXIT.ok : EXIT.failure;
}
