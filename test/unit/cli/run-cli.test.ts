import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/cli-io';
import { runCli } from '../../../src/cli/run-cli';
import { demoConfig } from '../../../src/demo/demo-config';

// The CLI's behaviour before it talks to Temporal: usage, configuration and connection errors.

let dir: string;
let configFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-unit-'));
  configFile = join(dir, 'config.json');
  const raw = demoConfig() as { store: { file: string }; clients: Array<Record<string, unknown>> };
  raw.store.file = join(dir, 'state.sqlite');
  writeFileSync(configFile, JSON.stringify(raw));
  const two = structuredClone(raw);
  // Another mandator: two clients reaching one Optimizely account may not fill its lists twice.
  two.clients.push({ ...two.clients[0], key: 'second', mandatorId: 4321 });
  // Both read the demo's selections, said so (one CRM selection read by two clients is refused otherwise).
  for (const entry of Object.values((two as unknown as { crm: { lists: Record<string, object> } }).crm.lists))
    Object.assign(entry, { sharedBy: ['demo', 'second'] });
  writeFileSync(join(dir, 'two-clients.json'), JSON.stringify(two));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...raw, clients: [{ ...raw.clients[0], mandatorId: -1 }] }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: { CAMPAIGN_SYNC_CONFIG: configFile, ...env }, tty: false };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('runCli', () => {
  it('prints the usage with every command and the exit codes, exiting 0', async () => {
    const result = await cli([]);
    expect(result.code).toBe(0);
    for (const name of [
      'schedules apply',
      'run [--list',
      'status [--watch]',
      'pause <list> --reason',
      'resume',
      'rerun',
      'approve',
      'reject',
      'runs',
      'report',
      'why',
    ]) {
      expect(result.out).toContain(name);
    }
    expect(result.out).toContain('Exit codes: 0 ok, 1 failure, 2 usage or configuration, 3 not found, 4 no Temporal server, 5 list busy.');
  });

  it('exits 2 for an unknown command or flag, naming it', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command frobnicate') });
    expect(await cli(['status', '--wath'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--wath'") });
    expect(await cli(['schedules'])).toMatchObject({ code: 2, err: expect.stringContaining('schedules: say apply or list') });
    expect(await cli(['approve'])).toMatchObject({ code: 2, err: expect.stringContaining('approve: missing the list key') });
    expect(await cli(['run', '--batches-per-activity', '0'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--batches-per-activity takes a whole number from 1 to 10000'),
    });
  });

  it('refuses a number option that is not plain digits in range, naming the option, before connecting anywhere', async () => {
    const options = [
      { argv: ['runs', '--limit'], valid: (n: number) => n >= 1 && n <= 10_000 },
      { argv: ['why', 'a@example.com', '--runs'], valid: (n: number) => n >= 1 && n <= 1000 },
      { argv: ['status', '--interval'], valid: (n: number) => n >= 100 },
      { argv: ['run', '--batches-per-activity'], valid: (n: number) => n >= 1 && n <= 10_000 },
    ];
    const text = fc.oneof(
      fc.constantFrom('', ' ', 'abc', 'NaN', 'Infinity', '-1', '-0', '0', '1e3', '0x10', '1.5', '٣', '99999999999', '20\u0000'),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -5, max: 20_000 }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...options), text, async ({ argv, valid }, value) => {
        const name = argv[argv.length - 1]!;
        const ok = /^\d{1,9}$/.test(value.trim()) && valid(Number(value));
        // A valid value of status or run goes on to connect to Temporal: only the refusals are quick to check there.
        if (ok && (argv[0] === 'status' || argv[0] === 'run')) return;
        const result = await cli([...argv.slice(0, -1), `${name}=${value}`]);
        if (ok) expect(result.err).not.toContain(`${name} takes`);
        else expect(result).toMatchObject({ code: 2, err: expect.stringContaining(`${name} takes a whole number`) });
      }),
      { numRuns: 60 },
    );
  });

  it("prints a command's usage for --help without reading the configuration", async () => {
    expect(await cli(['pause', '--help'], { CAMPAIGN_SYNC_CONFIG: '/nowhere.json' })).toMatchObject({
      code: 0,
      out: 'pause <list> --reason <text>',
    });
  });

  it('exits 2 listing every problem of a bad configuration', async () => {
    const missing = await cli(['status', '--config', join(dir, 'missing.json')]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('cannot read it: ENOENT') });
    const bad = await cli(['status', '--config', join(dir, 'bad.json')]);
    expect(bad).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Invalid configuration in .*bad\.json:\n {2}clients\.0\.mandatorId: /),
    });
  });

  it('asks for --client when there are several, and exits 3 for an unknown one', async () => {
    const several = join(dir, 'two-clients.json');
    expect(await cli(['runs', '--config', several])).toMatchObject({
      code: 2,
      err: expect.stringContaining('several clients (demo, second)'),
    });
    expect(await cli(['runs', '--client', 'nope'])).toMatchObject({
      code: 3,
      err: 'campaign-sync: client nope not found; configured clients: demo',
    });
  });

  it('reads the state store without Temporal: runs on an empty store', async () => {
    expect(await cli(['runs'])).toMatchObject({ code: 0, out: 'No runs recorded yet.' });
    expect(await cli(['report', 'no-such-run'])).toMatchObject({ code: 3, err: expect.stringContaining('run no-such-run not found') });
  });

  it('exits 4 naming the address tried and how to start a server when none answers', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const result = await cli(['status'], { TEMPORAL_ADDRESS: address });
    expect(result.code).toBe(4);
    expect(result.err).toContain(`No Temporal server answered at ${address} (namespace default).`);
    expect(result.err).toContain('npm run dev:server');
  });
});
