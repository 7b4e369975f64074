import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIo } from '../../../src/cli/cli-io';
import { COMMANDS } from '../../../src/cli/commands';
import { writeLedgerCsv } from '../../../src/cli/ledger-csv';
import { runCli } from '../../../src/cli/run-cli';
import { diffCsvWriter } from '../../../src/plan/diff-csv';
import { demoConfig } from '../../../src/demo/demo-config';

// An argument the CLI cannot use (a list, client or run that does not exist, an unknown command or
// option, one argument too many) is named in the error, and an operator may have typed or pasted
// anything there: a line break printed a line of its own that read as the CLI's
// (`list x\ncampaign-sync: …`), a megabyte argument a megabyte of error. Whatever the argument, the
// error is as many lines as for a plain one, of bounded length, with nothing a terminal acts on.

let dir: string;
let configFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-hostile-args-'));
  configFile = join(dir, 'config.json');
  const raw = demoConfig() as { store: { file: string } };
  raw.store.file = join(dir, 'state.sqlite');
  writeFileSync(configFile, JSON.stringify(raw));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}) {
  const err: string[] = [];
  const io: CliIo = { out: () => undefined, err: (t) => err.push(t), env: { CAMPAIGN_SYNC_CONFIG: configFile, ...env }, tty: false };
  const code = await runCli(argv, io);
  return { code, err: err.join('\n') };
}

/** Invocations naming `arg` where the CLI refuses it, without Temporal. */
const INVOCATIONS: Array<(arg: string) => string[]> = [
  (arg) => ['runs', `--client=${arg}`],
  (arg) => ['report', '--', arg],
  (arg) => ['why', `--list=${arg}`, 'anna@example.com'],
  (arg) => ['why', '--', arg],
  (arg) => ['approve', 'newsletter', '--', arg],
  (arg) => ['--', arg],
  (arg) => ['runs', `--zz${arg}`],
];

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('\n', '\r\n', '\u2028', '\u001b[2J', '\u202e', '\u0000'),
      fc.string({ maxLength: 8 }),
    )
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('x', '\n', 'a b '), fc.integer({ min: 1_000, max: 200_000 })).map(([s, n]) => s.repeat(n)),
);

// What a terminal acts on (terminal-text.ts); a line break is counted apart.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

describe('a hostile argument in an error', () => {
  it('prints as many lines as a plain argument would, bounded, with no control character', async () => {
    const plain = await Promise.all(INVOCATIONS.map((invocation) => cli(invocation('zz-no-such'))));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: INVOCATIONS.length - 1 }), hostile, async (which, arg) => {
        fc.pre(!['demo', 'newsletter', 'offers', 'help', ...COMMANDS.map((c) => c.name)].includes(arg));
        const result = await cli(INVOCATIONS[which]!(arg));
        const baseline = plain[which]!;
        expect(result.code).toBe(baseline.code);
        expect(result.err.split('\n')).toHaveLength(baseline.err.split('\n').length);
        expect(result.err.length).toBeLessThan(baseline.err.length + 1_000);
        expect(RAW_CONTROL.test(result.err)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('names a plain argument as it is and quotes any other', async () => {
    expect((await cli(['report', '--', 'no-such-run'])).err).toBe(
      'campaign-sync: run no-such-run not found; list the runs with: campaign-sync runs',
    );
    expect((await cli(['runs', '--client=a\nb'])).err).toBe('campaign-sync: client "a\\u000ab" not found; configured clients: demo');
    expect((await cli(['runs', `--client=${'x'.repeat(100)}`])).err).toContain(`client "${'x'.repeat(80)}…" not found`);
  });

  it("bounds Node's message about an unknown option by what it prints, each line break written out in six characters", async () => {
    // Cut at 300 code points before the escapes, 300 line breaks printed 1,800 characters.
    const plain = await cli(['runs', '--zzno-such']);
    for (const arg of ['\n'.repeat(400), '\r'.repeat(400), '\u2028'.repeat(400), `a${'\u0000'.repeat(399)}`]) {
      const result = await cli(['runs', `--zz${arg}`]);
      expect(result.err.split('\n')).toHaveLength(plain.err.split('\n').length);
      expect(result.err.length).toBeLessThan(plain.err.length + 400);
    }
  });
});

// The same rule for what an operator names that is not a key: a duration, a file (--config,
// CAMPAIGN_SYNC_CONFIG, --csv) and the Temporal address. Each was printed whole: `--answer-timeout`
// quoted in JSON (a megabyte argument, a megabyte of error), a configuration path and the address as
// typed (a line break in them printed lines of their own), a --csv path inside Node's own message.
describe('a hostile path, duration or address in an error', () => {
  const outside = (arg: string) => join(dir, 'no-such-folder', arg);
  const PATH_INVOCATIONS: Array<(arg: string) => [string[], Record<string, string>?]> = [
    (arg) => [['status', `--answer-timeout=${arg}`]],
    (arg) => [['runs', `--config=${outside(arg)}`]],
    (arg) => [['runs'], { CAMPAIGN_SYNC_CONFIG: outside(arg) }],
  ];

  it('prints as many lines as a plain one would, bounded, with no control character', async () => {
    const plain = await Promise.all(PATH_INVOCATIONS.map((invocation) => cli(...invocation('zz-no-such'))));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: PATH_INVOCATIONS.length - 1 }), hostile, async (which, arg) => {
        fc.pre(!/^\d+[smhd]$/.test(arg) && !existsSync(outside(arg)));
        const result = await cli(...PATH_INVOCATIONS[which]!(arg));
        const baseline = plain[which]!;
        expect(result.code).toBe(baseline.code);
        expect(result.err.split('\n')).toHaveLength(baseline.err.split('\n').length);
        expect(result.err.length).toBeLessThan(baseline.err.length + 2_000);
        expect(RAW_CONTROL.test(result.err)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('names a Temporal address from the environment on one bounded line', async () => {
    for (const address of ['a\nb:7233', `${'x\n'.repeat(5_000)}:7233`, '\u202e:7233']) {
      const result = await cli(['status'], { TEMPORAL_ADDRESS: address });
      expect(result.code).toBe(4);
      expect(result.err.split('\n')).toHaveLength(3);
      expect(result.err.length).toBeLessThan(2_000);
      expect(RAW_CONTROL.test(result.err)).toBe(false);
    }
  });

  it('names a --csv file that cannot be written on one bounded line, with the reason', async () => {
    const noLedger = { ledger: { stream: async function* () {} } } as unknown as Parameters<typeof writeLedgerCsv>[0];
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (arg, plan) => {
        const file = outside(arg);
        // A folder that does not exist (`..` in the argument could name one that does).
        fc.pre(!existsSync(dirname(file)));
        let message = '';
        try {
          if (plan) await diffCsvWriter(file).close();
          else await writeLedgerCsv(noLedger, 'run-1', file);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(
          plan ? /^the diff CSV .* cannot be written: [A-Z_]+$/ : /^--csv: the ledger cannot be written to .*: [A-Z_]+$/,
        );
        expect(message).not.toContain('\n');
        expect(message.length).toBeLessThan(1_000);
        expect(RAW_CONTROL.test(message)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

// A list key the configuration does not hold is refused before anything connects: with no Temporal
// server at hand, `pause offerz` waited five seconds and said "no server" (exit 4) instead of naming the typo.
describe('an unknown list key of an operator command', () => {
  const LIST_COMMANDS: Array<(arg: string) => string[]> = [
    (arg) => ['pause', arg, '--reason', 'typo check'],
    (arg) => ['resume', arg],
    (arg) => ['rerun', arg],
    (arg) => ['approve', arg],
    (arg) => ['reject', arg],
    (arg) => ['run', `--list=${arg}`],
  ];

  it('is exit 3 naming it on one bounded line, without reaching Temporal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: LIST_COMMANDS.length - 1 }), hostile, async (which, arg) => {
        fc.pre(!['newsletter', 'offers'].includes(arg) && !arg.startsWith('-'));
        const started = Date.now();
        const result = await cli(LIST_COMMANDS[which]!(arg), { TEMPORAL_ADDRESS: '127.0.0.1:1' });
        expect(result.code).toBe(3);
        expect(result.err).toMatch(/^campaign-sync: list .* not found; client demo synchronises: newsletter, offers$/);
        expect(result.err.length).toBeLessThan(1_000);
        expect(Date.now() - started).toBeLessThan(2_000);
      }),
      { numRuns: 30 },
    );
  });
});
