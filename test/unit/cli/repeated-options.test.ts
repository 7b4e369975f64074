import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/cli-io';
import { COMMANDS } from '../../../src/cli/commands';
import { runCli } from '../../../src/cli/run-cli';
import { demoConfig } from '../../../src/demo/demo-config';

// An option given twice: Node's parseArgs keeps the last one without a word, so `approve newsletter
// --reason "checked" --reason "not checked"`, `--client a … --client b` or `runs --limit 5 --limit
// 500000` acted on a guess of which one was meant. Whatever the command, the option and the two
// values, the command line is refused (exit 2) naming the option, before the configuration's store is
// opened or Temporal is asked.

let dir: string;
let configFile: string;
let storeFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-repeated-options-'));
  configFile = join(dir, 'config.json');
  storeFile = join(dir, 'state.sqlite');
  const raw = demoConfig() as { store: { file: string } };
  raw.store.file = storeFile;
  writeFileSync(configFile, JSON.stringify(raw));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GLOBAL: Record<string, 'string' | 'boolean'> = {
  config: 'string',
  client: 'string',
  json: 'boolean',
  by: 'string',
  'task-queue': 'string',
};

/** A positional that lets each command get as far as it can with a valid command line. */
const POSITIONALS: Record<string, string[]> = {
  schedules: ['list'],
  plan: ['newsletter'],
  pause: ['newsletter'],
  resume: ['newsletter'],
  rerun: ['newsletter'],
  approve: ['newsletter'],
  reject: ['newsletter'],
  report: ['no-such-run'],
  why: ['anna@example.com'],
};

const invocation = fc
  .nat()
  .chain((n) => {
    const command = COMMANDS[n % COMMANDS.length]!;
    const options: Record<string, 'string' | 'boolean'> = { ...GLOBAL };
    for (const [name, option] of Object.entries(command.options ?? {})) options[name] = option.type;
    return fc.record({
      command: fc.constant(command.name),
      option: fc.constantFrom(...Object.entries(options)),
      values: fc.tuple(fc.constantFrom('1', 'newsletter', 'demo', 'x'), fc.string({ maxLength: 20 })),
      inline: fc.tuple(fc.boolean(), fc.boolean()),
      // The repeat may stand anywhere among the arguments.
      at: fc.nat({ max: 2 }),
    });
  })
  .map(({ command, option: [name, type], values, inline, at }) => {
    // A value starting with a dash goes inline, as Node requires (`--reason -x` is its own usage error).
    const one = (value: string, asOne: boolean) =>
      type === 'boolean' ? [`--${name}`] : asOne || value.startsWith('-') ? [`--${name}=${value}`] : [`--${name}`, value];
    const first = one(values[0], inline[0]);
    const second = one(values[1], inline[1]);
    const rest = [command, ...(POSITIONALS[command] ?? [])];
    const argv = [...rest.slice(0, at), ...first, ...rest.slice(at), ...second];
    return { command, name, argv };
  });

describe('an option given twice', () => {
  it('is exit 2 naming the option, with nothing opened', async () => {
    await fc.assert(
      fc.asyncProperty(invocation, async ({ command, name, argv }) => {
        const err: string[] = [];
        const out: string[] = [];
        const io: CliIo = {
          out: (t) => out.push(t),
          err: (t) => err.push(t),
          env: { CAMPAIGN_SYNC_CONFIG: configFile, TEMPORAL_ADDRESS: '127.0.0.1:1' },
          tty: false,
        };
        const code = await runCli(argv, io);
        expect(code).toBe(2);
        expect(err.join('\n')).toContain(`campaign-sync: ${command}: --${name} is given more than once`);
        expect(existsSync(storeFile)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
