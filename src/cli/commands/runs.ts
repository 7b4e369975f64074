import { CliUsageError } from '../../errors/cli-usage-error';
import { requireList } from '../../operations/operations';
import { RUN_KINDS, type RunKind, type RunRecord } from '../../store/types';
import { stringOption, wholeNumberOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { shownField } from '../terminal-text';

/** `runs [--list <key>] [--kind <kind>] [--limit <n>]`: history with counts, newest first. */
export const runsCommand: Command = {
  name: 'runs',
  usage: `runs [--list <key>] [--kind ${RUN_KINDS.join('|')}] [--limit <n>]`,
  summary: 'history of daily, list, restore and response runs with their outcome and counts, newest first',
  options: { list: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, _positionals, values) {
    const kind = stringOption(values, 'kind');
    if (kind !== undefined && !isRunKind(kind)) throw new CliUsageError(`runs: --kind takes one of ${RUN_KINDS.join(', ')}`, this.usage);
    const listKey = stringOption(values, 'list');
    const limit = wholeNumberOption(this, values, 'limit', { min: 1, max: 10_000, default: 20 });
    const store = await ctx.store();
    const runs = await store.runs.list({ client: ctx.client.key, listKey, ...(kind ? { kind } : {}), limit });
    // A list no longer configured still has its history; a key that names neither is a typo, not "no runs".
    if (listKey !== undefined && !ctx.client.lists.some((list) => list.key === listKey)) {
      const recorded = runs.length > 0 || (await store.runs.list({ client: ctx.client.key, listKey, limit: 1 })).length > 0;
      if (!recorded) requireList(ctx.client, listKey);
    }
    ctx.print(runs, () => (runs.length === 0 ? ['No runs recorded yet.'] : [HEADER, ...runs.map(runLine)]));
    return EXIT.ok;
  },
};

function isRunKind(value: string): value is RunKind {
  return (RUN_KINDS as readonly string[]).includes(value);
}

const HEADER = 'started (UTC)     list        status     exported  excluded  sent      verified  window  run';

/** One run: a daily run shows `daily` where a list run shows its list, and its outcome as status. */
export function runLine(run: RunRecord): string {
  const c = run.counts;
  const excluded = Object.entries(c)
    .filter(([k]) => k.startsWith('excluded.'))
    .reduce((sum, [, n]) => sum + n, 0);
  const cell = (value: number | undefined, width = 9) => String(value ?? '-').padEnd(width);
  return [
    run.startedAt.slice(0, 16).replace('T', ' ').padEnd(17),
    shownField(run.listKey ?? run.kind).padEnd(11),
    shownField(run.status).padEnd(10),
    cell(c.exported),
    cell(excluded),
    cell(c.sent),
    cell(c.verifiedCount ?? c['restore.verifiedCount']),
    (c.windowSeconds === undefined ? '-' : `${c.windowSeconds.toFixed(1)}s`).padEnd(7),
    shownField(run.runId),
  ].join(' ');
}
