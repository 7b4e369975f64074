import { rerunList } from '../../operations/rerun-list';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { operatorActor } from '../operator-actor';
import { fieldLine, shownText } from '../terminal-text';

/** `rerun <list>`: through the open daily run, or as a list sync alone when none is open. */
export const rerunCommand: Command = {
  name: 'rerun',
  usage: 'rerun <list> [--reason <text>]',
  summary: 'sync one list again (via the open daily run, or alone)',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = listKeyArgument(ctx, this, positionals);
    const outcome = await rerunList(await ctx.operations(), listKey, operatorActor(ctx, this, values));
    ctx.print(outcome, () => [
      outcome.answer
        ? `${fieldLine`Re-run of ${listKey}: ${outcome.workflowId}`} answered: ${shownText(outcome.answer.did)}`
        : fieldLine`List sync ${outcome.workflowId} started on its own`,
      ...(outcome.pausedControl ? [`Note: ${listKey} is paused; it is skipped until: campaign-sync resume ${listKey}`] : []),
    ]);
    return EXIT.ok;
  },
};
