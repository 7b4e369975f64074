import { CliUsageError } from '../../errors/cli-usage-error';
import { applySchedules } from '../../schedules/apply-schedules';
import { desiredSchedules } from '../../schedules/desired-schedules';
import { listSchedules } from '../../schedules/list-schedules';
import type { Command } from '../command';
import { EXIT } from '../exit-codes';
import { scheduleApplyLines, scheduleListLines } from '../schedule-lines';

/** `schedules apply [--prune]` and `schedules list`: the Temporal Schedules of the configuration. */
export const schedulesCommand: Command = {
  name: 'schedules',
  usage: 'schedules apply [--prune] | schedules list',
  summary: 'create or update the daily (and response) schedules; list them',
  options: { prune: { type: 'boolean' } },
  async run(ctx, positionals, values) {
    const [action, ...rest] = positionals;
    if (rest.length > 0 || (action !== 'apply' && action !== 'list')) {
      throw new CliUsageError('schedules: say apply or list', this.usage);
    }
    const temporal = await ctx.temporal();
    if (action === 'list') {
      const listings = await listSchedules(temporal);
      ctx.print(listings, () => scheduleListLines(listings));
      return EXIT.ok;
    }
    const results = await applySchedules(temporal, desiredSchedules(ctx.config, ctx.taskQueue), {
      taskQueue: ctx.taskQueue,
      prune: Boolean(values.prune),
    });
    ctx.print(results, () => scheduleApplyLines(results));
    return EXIT.ok;
  },
};
