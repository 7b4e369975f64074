import { rerunList } from '../../operations/rerun-list';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { operatorActor } from '../operator-actor';
import { rerunLines } from '../list-action-lines';

/** `rerun <list>`: through the open daily run, or as a list sync alone when none is open. */
export const rerunCommand: Command = {
  name: 'rerun',
  usage: 'rerun <list> [--reason <text>]',
  summary: 'sync one list again (via the open daily run, or alone)',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = listKeyArgument(ctx, this, positionals);
    const outcome = await rerunList(await ctx.operations(), listKey, operatorActor(ctx, this, values));
    ctx.print(outcome, () => rerunLines(listKey, outcome));
    return EXIT.ok;
  },
};
