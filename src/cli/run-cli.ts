import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from '../errors/cli-usage-error';
import { shownInput, visibleLine } from '../errors/quoted-text';
import { createCliContext, type CliContext, type GlobalOptions } from './cli-context';
import type { CliIo } from './cli-io';
import type { Command, OptionValues } from './command';
import { COMMANDS } from './commands';
import { EXIT } from './exit-codes';
import { printError } from './print-error';
import { terminalSafeIo } from './terminal-text';
import { usageText } from './usage';

const GLOBAL_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  config: { type: 'string' },
  client: { type: 'string' },
  json: { type: 'boolean' },
  by: { type: 'string' },
  'task-queue': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Runs one `campaign-sync` invocation and returns its exit code; never calls process.exit. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalSafeIo(rawIo);
  let ctx: CliContext | undefined;
  try {
    const command = findCommand(argv);
    if (!command) {
      io.out(usageText());
      return argv.length === 0 || argv.includes('--help') || argv.includes('-h') ? EXIT.ok : EXIT.usage;
    }
    const { values, positionals } = parseStrict(command, argv);
    if (values.help) {
      io.out(command.usage);
      return EXIT.ok;
    }
    ctx = createCliContext(io, values as GlobalOptions);
    return await command.run(ctx, positionals.slice(1), values as OptionValues);
  } catch (error) {
    return printError(io, error);
  } finally {
    await ctx?.close();
  }
}

function findCommand(argv: string[]): Command | undefined {
  const all = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options ?? {}));
  const { positionals } = parseArgs({ args: argv, options: all, allowPositionals: true, strict: false });
  const name = positionals[0];
  if (name === undefined || name === 'help') return undefined;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliUsageError(`unknown command ${shownInput(name)}`, usageText());
  return command;
}

/** Characters of Node's argument-parsing message shown, escapes included (it quotes the argument, twice for an unknown option). */
const PARSE_MESSAGE_MAX = 300;

function parseStrict(command: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (cause) {
    // Node's message quotes the argument as typed: kept to one bounded line like every argument we show.
    throw new CliUsageError(`${command.name}: ${visibleLine((cause as Error).message, PARSE_MESSAGE_MAX)}`, command.usage, { cause });
  }
  refuseRepeatedOptions(command, parsed.tokens);
  return parsed;
}

/**
 * An option given twice: Node keeps the last one, silently. `approve x --reason a --reason b` or
 * `--client a … --client b` (one pasted after another) would act on a guess of which was meant, so
 * the command line is refused naming the option, before anything is read or changed.
 */
function refuseRepeatedOptions(command: Command, tokens: ReadonlyArray<{ kind: string; name?: string }>): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (seen.has(token.name))
      throw new CliUsageError(
        `${command.name}: --${token.name} is given more than once; which one is meant would be a guess, so give it once`,
        command.usage,
      );
    seen.add(token.name);
  }
}
