import fc from 'fast-check';
import { aRun } from '../../helpers/store-builders';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// `--list <key>` of the commands that read history (`runs`, `why`): a key that names no configured
// list (and, for `runs`, no recorded run either: a list since removed keeps its history) is an
// operator's typo and exits 3 naming it. Before, `runs --list newsleter` printed "No runs recorded
// yet." and `why --list newsleter` "not in the selection of ...", answers that read as facts.

const CONFIGURED = ['newsletter', 'offers'];
const REMOVED = 'summer-promo';

const { cli } = useCliOnDemoStore('cli-unknown-list', async (store) => {
  await store.runs.upsert(aRun({ runId: 'run-newsletter', client: 'demo', listKey: 'newsletter', status: 'completed' }));
  await store.runs.upsert(aRun({ runId: 'run-removed', client: 'demo', listKey: REMOVED, status: 'completed' }));
});

/** Keys an operator may type: near-misses of the configured ones, and anything at all. */
const typedKey = fc.oneof(
  fc.constantFrom('newsleter', 'Newsletter', 'newsletter ', ' offers', 'offer', 'constructor', '__proto__', 'toString', ''),
  fc.string({ minLength: 1, maxLength: 30 }).filter((key) => !key.startsWith('-')),
);

describe('--list of runs and why', () => {
  it('refuses a key that names no configured list (nor, for runs, a recorded one), naming it, with exit 3', async () => {
    await fc.assert(
      fc.asyncProperty(typedKey, fc.constantFrom('runs', 'why'), async (key, command) => {
        const argv = command === 'runs' ? ['runs', '--list', key] : ['why', 'someone@example.test', '--list', key];
        const { code, err } = await cli(argv);
        if (CONFIGURED.includes(key) || (command === 'runs' && key === REMOVED)) {
          expect(err).not.toMatch(/^campaign-sync: list .* not found/);
          return;
        }
        expect(code).toBe(3);
        expect(err).toMatch(/^campaign-sync: list .* not found; client demo synchronises: newsletter, offers/);
      }),
      { numRuns: 60 },
    );
  });

  it('still lists the runs of a list removed from the configuration', async () => {
    const { code, out } = await cli(['runs', '--list', REMOVED]);
    expect(code).toBe(0);
    expect(out).toContain(REMOVED);
  });
});
