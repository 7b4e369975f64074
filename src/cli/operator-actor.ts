import { operatorTextProblem } from '../../workflows/operator-messages';
import { CliUsageError } from '../errors/cli-usage-error';
import type { Actor } from '../operations/operations';
import type { CliContext } from './cli-context';
import { stringOption, type Command, type OptionValues } from './command';
import { shownField, shownText } from './terminal-text';

/**
 * Who sends an operator action and why, checked before anything is stored or sent: the same bounds
 * and printable-text rule the workflows' validators apply (they check again; this answers sooner).
 */
export function operatorActor(ctx: CliContext, command: Command, values: OptionValues, reasonRequired = false): Actor {
  const reason = stringOption(values, 'reason');
  if (reasonRequired && !reason?.trim())
    throw new CliUsageError(`${command.name}: say why with --reason <text>; it is recorded with your name`, command.usage);
  const problem = operatorTextProblem('by', ctx.by, true) ?? operatorTextProblem('reason', reason, false);
  if (problem)
    throw new CliUsageError(
      `${command.name}: ${problem.replace(/^by /, '--by (or USER) ').replace(/^reason /, '--reason ')}`,
      command.usage,
    );
  return reason === undefined ? { by: ctx.by } : { by: ctx.by, reason };
}

/** The lines an accepted operator Update prints: who answered and what it did (the workflow's words, shown as fields). */
export function answerLines(answer: { workflowId: string; did: string } | undefined, none: string): string[] {
  return answer ? [`${shownField(answer.workflowId)} answered: ${shownText(answer.did)}`] : [none];
}
