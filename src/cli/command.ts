import type { ParseArgsConfig } from 'node:util';
import { CliUsageError } from '../errors/cli-usage-error';
import { shownInput } from '../errors/quoted-text';
import { requireList } from '../operations/operations';
import type { CliContext } from './cli-context';

export type OptionValues = Record<string, string | boolean | undefined>;

/** One `campaign-sync <name>` command; each lives in its own file under commands/. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliContext, positionals: string[], values: OptionValues): Promise<number>;
}

/** The single positional argument a command needs, or a usage error naming it. */
export function onePositional(command: Command, positionals: string[], what: string): string {
  const [value, ...rest] = positionals;
  if (value === undefined) throw new CliUsageError(`${command.name}: missing ${what}`, command.usage);
  if (rest.length > 0) throw new CliUsageError(`${command.name}: unexpected argument ${shownInput(rest[0] as string)}`, command.usage);
  return value;
}

/**
 * The list key a command acts on, checked against the configuration before anything connects: an
 * unknown list (a typo) is exit 3 naming it, not a wait for Temporal ending in "no server" (exit 4).
 */
export function listKeyArgument(ctx: CliContext, command: Command, positionals: string[]): string {
  const listKey = onePositional(command, positionals, 'the list key');
  requireList(ctx.client, listKey);
  return listKey;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A whole-number option within bounds, or the default when absent. `Number()` alone would let
 * `--limit abc` through as NaN, `--limit -1` as "no limit" to SQL and `--interval 0` as a loop that
 * hammers Temporal: anything but plain digits in range is a usage error naming the option.
 */
export function wholeNumberOption(
  command: Command,
  values: OptionValues,
  name: string,
  bounds: { min: number; max: number; default: number },
): number {
  const text = stringOption(values, name);
  if (text === undefined) return bounds.default;
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= bounds.min && value <= bounds.max))
    throw new CliUsageError(`${command.name}: --${name} takes a whole number from ${bounds.min} to ${bounds.max}`, command.usage);
  return value;
}
