import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors/config-error';
import { CliUsageError } from '../errors/cli-usage-error';
import { shownInput, visibleLine } from '../errors/quoted-text';
import { ActionRefusedError } from '../errors/action-refused-error';
import { ListBusyError } from '../errors/list-busy-error';
import { NoWorkerAnswerError } from '../errors/no-worker-answer-error';
import { NotFoundError } from '../errors/not-found-error';
import { TemporalUnreachableError } from '../errors/temporal-unreachable-error';
import { createCliContext, type CliContext, type GlobalOptions } from './cli-context';
import type { CliIo } from './cli-io';
import type { Command, OptionValues } from './command';
import { COMMANDS } from './commands';
import { EXIT } from './exit-codes';
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
    return report(io, error);
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
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (cause) {
    // Node's message quotes the argument as typed: kept to one bounded line like every argument we show.
    throw new CliUsageError(`${command.name}: ${visibleLine((cause as Error).message, PARSE_MESSAGE_MAX)}`, command.usage, { cause });
  }
}

function report(io: CliIo, error: unknown): number {
  if (error instanceof CliUsageError) {
    io.err(`campaign-sync: ${error.message}`);
    if (error.usage) io.err(error.usage);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    io.err(error.message);
    return EXIT.usage;
  }
  if (error instanceof NotFoundError) {
    io.err(`campaign-sync: ${error.message}`);
    return EXIT.notFound;
  }
  if (error instanceof TemporalUnreachableError) {
    io.err(error.message);
    return EXIT.noServer;
  }
  if (error instanceof ActionRefusedError) {
    io.err(`campaign-sync: refused: ${error.message}`);
    return EXIT.conflict;
  }
  if (error instanceof NoWorkerAnswerError) {
    io.err(`campaign-sync: ${error.message}`);
    return EXIT.noWorker;
  }
  if (error instanceof ListBusyError) {
    io.err(`campaign-sync: ${error.message}`);
    return EXIT.conflict;
  }
  io.err(`campaign-sync: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.failure;
}
