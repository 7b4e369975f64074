import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { openOptimizelyClient } from '../src/stack/open-optimizely-client';
import { startDevServer } from '../src/temporal/dev-server';
import { freePort } from '../src/temporal/free-port';
import { dailySyncWorkflowId, listSyncWorkflowId, readyByWorkflowId } from '../workflows/ids';
import { readyByWorkflow } from '../workflows/ready-by';
import { dailySyncWorkflow, pauseListSignal, rerunListUpdate, statusQuery } from '../workflows/daily-sync';
import { approveSignal, approveUpdate, listSyncWorkflow, progressQuery, rejectSignal } from '../workflows/list-sync';
import { startSyncStack } from '../test/helpers/sync-stack';
import { bundleWorkflows, taskQueueFor } from '../test/helpers/temporal-env';
import { waitFor } from '../test/helpers/wait-for';
import { readyByAgo } from '../test/helpers/ready-by-clock';
import { startAlertReceiver } from '../test/helpers/alert-receiver';
import { firstSnapshotRecipient, withdrawInDemoCrm } from '../test/helpers/hold-withdrawal';
import { pauseLongAndWithdraw, SLOW_BEFORE_PAUSE, type PausePoint } from '../test/helpers/long-pause';
import { pauseDuringHeldReexport } from '../test/helpers/pause-during-reexport';
import { signalToEndedList } from '../test/helpers/signal-to-ended-list';
import { signalRaw, UNDECODABLE_PAYLOADS, type Payload } from '../test/helpers/undecodable-signal';

// `npx tsx scripts/record-histories.ts [case ...]`: records the histories replayed by test/replay/ — a
// daily run with a re-run accepted (Update) after its lists, a guarded run approved
// by signal and one approved by Update, one approved late (exported again before the clear), and a run whose refill was retried after transient faults
// (resumed from its heartbeat), a run stopped by its pre-flight check, a readyBy check that found a
// list late and saw it recover, and a daily run and a list sync that ignored hostile signals (the list sync also decision
// signals for another run and after its decision), and the same pair ignoring signals from a sender no one can see
// (invisible-sender-signals) and signals whose payload cannot be decoded (undecodable-signals). Without arguments every case;
// with names only those (`… list-sync-preflight-failed`). Re-record after
// intended changes. A history that guards the old branch of a patch (its `oldSideHistory` in
// workflows/patches.ts) is never re-recorded: give the current case a new file name instead.

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

type Save = (name: string, workflowId: string) => Promise<void>;
type Ctx = { env: TestWorkflowEnvironment; bundle: Awaited<ReturnType<typeof bundleWorkflows>>; save: Save };

/** Starts the list sync of a stack's newsletter list, under the id `listSyncWorkflowId(client, 'newsletter')`. */
function startNewsletterSync(env: TestWorkflowEnvironment, stack: Awaited<ReturnType<typeof startSyncStack>>, batchesPerActivity?: number) {
  return env.client.workflow.start(listSyncWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
    args: [{ client: stack.clientKey, listKey: 'newsletter', ...(batchesPerActivity === undefined ? {} : { batchesPerActivity }) }],
  });
}

type DailyHandle = Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;
type HeldList = { handle: ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>; held: () => Promise<void> };

/**
 * A daily run whose newsletter is held by the guard (maxExcludedPercent 0): `send` signals it once the
 * newsletter runs; the daily run's and the list sync's histories are saved as `daily-sync-<name>` and `list-sync-<name>`.
 */
async function recordSignalsToHeldRun(
  { env, bundle, save }: Ctx,
  name: string,
  send: (runs: { daily: DailyHandle; list: HeldList }) => Promise<void>,
): Promise<void> {
  const stack = await startSyncStack({
    env,
    bundle,
    title: `record ${name}`,
    contacts: 300,
    adjust: (raw) => (raw.clients[0].lists[0].guard = { maxExcludedPercent: 0 }),
  });
  const worker = await stack.startWorker();
  const dailyId = dailySyncWorkflowId(stack.clientKey, new Date().toISOString());
  const listId = listSyncWorkflowId(stack.clientKey, 'newsletter');
  await worker.runUntil(async () => {
    const daily = await env.client.workflow.start(dailySyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: dailyId,
      args: [{ client: stack.clientKey, batchesPerActivity: 1 }],
    });
    await waitFor(async () => (await daily.query(statusQuery)).lists.newsletter?.state === 'running', 60_000, 20);
    const handle = env.client.workflow.getHandle(listId);
    const held = () => waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000, 20);
    await send({ daily, list: { handle, held } });
    await daily.result();
  });
  await save(`daily-sync-${name}`, dailyId);
  await save(`list-sync-${name}`, listId);
  await stack.stop();
}

// daily-sync-normal.json predates the response-ingestion patch, daily-sync-before-prune-patch.json the
// retention patch, list-sync-before-ledger-patch.json the sent-ledger-after-verify patch,
// daily-sync-with-responses.json the daily-run-own-artefacts patch, daily-sync-own-artefacts.json
// the lanes-open-until-done patch, list-sync-normal.json the preflight-before-clear patch,
// daily-sync-late-rerun.json the children-cancelled-not-terminated patch and list-sync-guarded-update.json
// the finish-after-clear patch, daily-sync-alerts.json the daily-run-in-store patch, list-sync-reconcile.json
// the reconcile-read-beside-export patch: they are not re-recorded and guard the old paths.
const CASES: Record<string, (ctx: Ctx) => Promise<void>> = {
  async 'late-rerun'({ env, bundle, save }) {
    const stack = await startSyncStack({ env, bundle, title: 'record late rerun', contacts: 300 });
    const worker = await stack.startWorker();
    const workflowId = dailySyncWorkflowId(stack.clientKey, new Date().toISOString());
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(dailySyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId,
        args: [{ client: stack.clientKey, batchesPerActivity: 1 }],
      });
      // Slow Optimizely down once the lists are done, so the responses phase lasts long enough to act in.
      await waitFor(async () => Object.values((await handle.query(statusQuery)).lists).every((l) => l.state === 'ready'), 60_000, 20);
      await stack.admin('/admin/faults', { latencyMs: 400 });
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'responses', 60_000, 20);
      await handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'newsletter', by: 'recorder', reason: 'recorded late re-run' }] });
      await stack.admin('/admin/faults', { latencyMs: 0 });
      await handle.result();
    });
    // daily-sync-late-rerun.json (recorded before children-cancelled-not-terminated) stays as it is.
    await save('daily-sync-rerun-after-lists', workflowId);
    await stack.stop();
  },

  /** A daily run with its children cancelled-not-terminated, and a list sync cancelled during its refill that finishes. */
  async lifecycle({ env, bundle, save }) {
    const stack = await startSyncStack({
      env,
      bundle,
      title: 'record lifecycle',
      contacts: 3000,
      adjust: (raw) => (raw.clients[0].concurrency = 1),
    });
    const { workflowId } = await stack.runDaily({ batchesPerActivity: 1 });
    await save('daily-sync-children-cancelled', workflowId);
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    const worker = await stack.startWorker();
    await stack.admin('/admin/faults', { latencyMs: 100 });
    await worker.runUntil(async () => {
      const handle = await startNewsletterSync(env, stack, 1);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'refilling', 60_000);
      await handle.cancel();
      await handle.result();
    });
    await save('list-sync-cancelled-after-clear', id);
    await stack.stop();
  },

  async guarded({ env, bundle, save }) {
    for (const via of ['signal', 'update'] as const) {
      const guarded = await startSyncStack({
        env,
        bundle,
        title: `record guarded ${via}`,
        adjust: (raw) => (raw.clients[0].lists[0].guard = { maxExcludedPercent: 0 }),
      });
      const worker = await guarded.startWorker();
      const id = listSyncWorkflowId(guarded.clientKey, 'newsletter');
      await worker.runUntil(async () => {
        const handle = await startNewsletterSync(env, guarded);
        await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
        const message = { by: 'recorder', reason: 'recorded guarded run' };
        if (via === 'signal') await handle.signal(approveSignal, message);
        else await handle.executeUpdate(approveUpdate, { args: [message] });
        await handle.result();
      });
      // list-sync-guarded-update.json is the old side of finish-after-clear: this case writes the current one.
      await save(via === 'signal' ? 'list-sync-guarded' : 'list-sync-guarded-by-update', id);
      await guarded.stop();
    }
  },

  /**
   * A guarded run approved later than guard.reexportAfter (1s here) after its export, with a consent
   * withdrawn in the CRM during the hold: exported and guarded again before the clear
   * (fresh-export-after-late-approval).
   */
  'guarded-late': (ctx) => recordLateApproval(ctx, 'refresh', 'list-sync-guarded-late-approval'),

  /**
   * The same for a reconcile list's first run: exported, read and diffed again and guarded before any
   * change (reconcile-fresh-export-after-late-approval).
   */
  'reconcile-late': (ctx) => recordLateApproval(ctx, 'reconcile', 'list-sync-reconcile-late-approval'),

  /**
   * A list sync paused between refill chunks for longer than guard.reexportAfter (1s), a consent of an
   * unsent recipient withdrawn in the CRM meanwhile: exported and guarded again, the rest of the chunks
   * leave them out (reexport-after-long-pause). list-sync-paused-long-before-pause-patch.json (the old
   * side: the stale snapshot sent) was recorded by the same case before that patch and is not re-recorded.
   */
  'paused-long': (ctx) => recordLongPause(ctx, 'refresh', 'between-chunks', 'list-sync-paused-long'),

  /** The same for a reconcile list paused before its diff is applied: exported, read and diffed again. */
  'reconcile-paused-long': (ctx) => recordLongPause(ctx, 'reconcile', 'before-change', 'list-sync-reconcile-paused-long'),

  /**
   * A pause asked while the re-export after a long pause before the clear is held: the run stops
   * before the clear again (safe-point-after-reexport), is resumed and exports once more.
   */
  'paused-during-reexport': recordPauseDuringReexport,

  /** Signals an Update would refuse, ignored by new runs (the *-operator-signals-checked and list-decision-signals-checked patches): a daily run and a guarded list sync. */
  'hostile-signals': (ctx) =>
    recordSignalsToHeldRun(ctx, 'hostile-signals', async ({ daily, list }) => {
      await daily.signal(pauseListSignal, null as unknown as { listKey: string; by: string });
      await list.held();
      await list.handle.signal(approveSignal, {} as { by: string });
      // Decision signals the Update would refuse (list-decision-signals-checked): meant for another run, after the decision.
      await list.handle.signal(approveSignal, { by: 'recorder', reason: 'meant for an earlier run', runId: 'an-earlier-run' });
      await list.handle.signal(approveSignal, { by: 'recorder', reason: 'recorded after hostile signals' });
      await list.handle.signal(rejectSignal, { by: 'recorder', reason: 'after the decision' });
    }),

  /** Signals only the visible-text rules refuse, ignored by new runs (the *-operator-signal-text-visible patches): a Hangul filler as sender. */
  'invisible-sender-signals': (ctx) =>
    recordSignalsToHeldRun(ctx, 'invisible-sender-signals', async ({ daily, list }) => {
      await daily.signal(pauseListSignal, { listKey: 'newsletter', by: '\u3164', reason: 'nobody visible' });
      await list.held();
      await list.handle.signal(approveSignal, { by: '\u3164', reason: 'nobody visible' });
      await list.handle.signal(approveSignal, { by: 'recorder', reason: 'recorded after an invisible sender' });
    }),

  /** Signals whose payload cannot be decoded, ignored by new runs (the *-operator-signal-undecodable patches): before, every workflow task failed. */
  'undecodable-signals': (ctx) =>
    recordSignalsToHeldRun(ctx, 'undecodable-signals', async ({ daily, list }) => {
      const client = ctx.env.client;
      await signalRaw(client, daily.workflowId, 'pauseList', [UNDECODABLE_PAYLOADS[0] as Payload]);
      await list.held();
      for (const payload of UNDECODABLE_PAYLOADS) await signalRaw(client, list.handle.workflowId, 'approve', [payload]);
      await list.handle.signal(approveSignal, { by: 'recorder', reason: 'recorded after undecodable signals' });
    }),

  /**
   * A pauseList signal handled in the workflow task that also brings the newsletter sync's end (it was
   * terminated while no worker polled): answered as ended, the daily run goes on (daily-signal-to-ended-list).
   */
  async 'signal-to-ended-list'({ env, bundle, save }) {
    const { workflowId } = await signalToEndedList({ env, bundle }, taskQueueFor('record signal to ended list'), 'pauseList');
    await save('daily-sync-signal-to-ended-list', workflowId);
  },

  /** A list sync whose pre-flight finds a mapped attribute the Optimizely list lacks: it fails before the export. */
  async 'list-sync-preflight-failed'({ env, bundle, save }) {
    const stack = await startSyncStack({
      env,
      bundle,
      title: 'record preflight',
      adjust: (raw) => (raw.crm.lists.newsletter.attributes.nickname = 'nickname'),
    });
    const worker = await stack.startWorker();
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    await worker.runUntil(
      env.client.workflow
        .execute(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: id,
          args: [{ client: stack.clientKey, listKey: 'newsletter' }],
        })
        .catch(() => undefined),
    );
    await save('list-sync-preflight-failed', id);
    await stack.stop();
  },

  /** The alerts patches: a guarded list sync (hold notice, decision) and a daily run, notices to a real receiver. */
  async alerts({ env, bundle, save }) {
    const receiver = await startAlertReceiver();
    process.env.CAMPAIGN_SYNC_RECORD_ALERT_URL = receiver.url;
    const channels = [{ kind: 'webhook', url: { env: 'CAMPAIGN_SYNC_RECORD_ALERT_URL' } }];
    const adjust: Parameters<typeof startSyncStack>[0]['adjust'] = (raw) => {
      raw.clients[0].alerts = { channels };
      raw.clients[0].lists[0].guard = { maxExcludedPercent: 0 };
    };
    const stack = await startSyncStack({ env, bundle, title: 'record alerts', adjust });
    const worker = await stack.startWorker();
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    await worker.runUntil(async () => {
      const handle = await startNewsletterSync(env, stack);
      await waitFor(async () => receiver.bodies.length > 0);
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'recorder', reason: 'recorded alerts run' }] });
      await handle.result();
    });
    await save('list-sync-guarded-alerts', id);
    await stack.stop();
    const daily = await startSyncStack({
      env,
      bundle,
      title: 'record alerts daily',
      adjust: (raw) => (raw.clients[0].alerts = { channels }),
    });
    const { workflowId } = await daily.runDaily({});
    await save('daily-sync-alerts', workflowId);
    await daily.stop();
    await receiver.stop();
  },

  /** A readyBy check that finds a list late (no run since the previous deadline), looks again, and sees it ready. */
  async 'ready-by'({ env, bundle, save }) {
    const receiver = await startAlertReceiver();
    process.env.CAMPAIGN_SYNC_RECORD_ALERT_URL = receiver.url;
    const { readyBy } = readyByAgo(120_000);
    const stack = await startSyncStack({
      env,
      bundle,
      title: 'record ready-by',
      contacts: 200,
      adjust: (raw) => {
        raw.clients[0].alerts = { channels: [{ kind: 'webhook', url: { env: 'CAMPAIGN_SYNC_RECORD_ALERT_URL' } }] };
        raw.clients[0].lists[0].readyBy = readyBy;
      },
    });
    const worker = await stack.startWorker();
    const id = readyByWorkflowId(stack.clientKey, readyBy, 'recorded');
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(readyByWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: id,
        args: [{ client: stack.clientKey, readyBy, recheckEveryMs: 500, followForMs: 600_000 }],
      });
      await waitFor(async () => receiver.bodies.length > 0);
      await env.client.workflow.execute(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
        args: [{ client: stack.clientKey, listKey: 'newsletter' }],
      });
      await handle.result();
    });
    await save('ready-by-late-recovered', id);
    await stack.stop();
    await receiver.stop();
  },

  /** The daily run recorded in the state store: startRun (kind daily), a started and an outcome step per phase, finishRun. */
  async 'daily-in-store'({ env, bundle, save }) {
    const stack = await startSyncStack({ env, bundle, title: 'record daily in store', contacts: 300 });
    const { workflowId } = await stack.runDaily({});
    await save('daily-sync-in-store', workflowId);
    await stack.stop();
  },

  /** A list sync after a recipient was added at Optimizely by hand: measureDrift before the clear reports it. */
  async 'list-sync-drift'({ env, bundle, save }) {
    const stack = await startSyncStack({ env, bundle, title: 'record drift', contacts: 300 });
    await stack.runDaily();
    const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
    const names = ['opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id'];
    await optimizely.recipient.addAll3({
      listId: 100,
      optinProcessId: 0,
      recipientIds: ['hand@added.example'],
      addresses: ['hand@added.example'],
      attributeNames: names,
      attributeValues: [['', '', '', '', '']],
    });
    await optimizely.close();
    const worker = await stack.startWorker();
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    await worker.runUntil(
      env.client.workflow.execute(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: id,
        args: [{ client: stack.clientKey, listKey: 'newsletter' }],
      }),
    );
    await save('list-sync-drift', id);
    await stack.stop();
  },

  /**
   * A list with strategy reconcile: a hand-added recipient removed, no clear; the live list read while
   * the export runs. list-sync-reconcile.json (export, then the read) is not re-recorded.
   */
  async 'list-sync-reconcile-beside-export'({ env, bundle, save }) {
    const stack = await startSyncStack({
      env,
      bundle,
      title: 'record reconcile',
      contacts: 300,
      adjust: (raw) => Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile' }),
    });
    await stack.runDaily();
    const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
    await optimizely.recipient.addAll3({
      listId: 100,
      optinProcessId: 0,
      recipientIds: ['hand@added.example'],
      addresses: ['hand@added.example'],
      attributeNames: ['entity-type'],
      attributeValues: [['contact']],
    });
    await optimizely.close();
    const worker = await stack.startWorker();
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    await worker.runUntil(
      env.client.workflow.execute(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: id,
        args: [{ client: stack.clientKey, listKey: 'newsletter' }],
      }),
    );
    await save('list-sync-reconcile-beside-export', id);
    await stack.stop();
  },

  async resumed({ env, bundle, save }) {
    const resumed = await startSyncStack({
      env,
      bundle,
      title: 'record resumed',
      contacts: 6000,
      adjust: (raw) => (raw.clients[0].concurrency = 1),
    });
    await resumed.admin('/admin/faults', { latencyMs: 150 });
    const resumedId = listSyncWorkflowId(resumed.clientKey, 'newsletter');
    const resumedWorker = await resumed.startWorker();
    await resumedWorker.runUntil(async () => {
      const handle = await startNewsletterSync(env, resumed, 4);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'refilling');
      await new Promise((r) => setTimeout(r, 600));
      // One failed addAll3 in the middle of the chunk: the retry resumes after the last acknowledged batch.
      await resumed.admin('/admin/faults', { failNextCalls: 1 });
      await handle.result();
    });
    await save('list-sync-resumed', resumedId);
    await resumed.stop();
  },
};

/** A newsletter sync held by the guard, a consent of its snapshot withdrawn in the CRM, approved after reexportAfter (1s). */
async function recordLateApproval({ env, bundle, save }: Ctx, strategy: 'refresh' | 'reconcile', name: string): Promise<void> {
  const stack = await startSyncStack({
    env,
    bundle,
    title: strategy === 'refresh' ? 'record guarded late' : 'record reconcile late',
    contacts: 300,
    adjust: (raw) => Object.assign(raw.clients[0].lists[0], { strategy, guard: { maxExcludedPercent: 0, reexportAfter: '1s' } }),
  });
  const worker = await stack.startWorker();
  const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
  await worker.runUntil(async () => {
    const handle = await startNewsletterSync(env, stack);
    await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
    withdrawInDemoCrm(stack.crmFile, await firstSnapshotRecipient(stack.deps.store, handle.firstExecutionRunId));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'recorder', reason: 'recorded late approval' }] });
    await handle.result();
  });
  await save(name, id);
  await stack.stop();
}

/** A newsletter sync paused at `point` for longer than reexportAfter (1s), with a consent withdrawn in the CRM meanwhile. */
async function recordLongPause(
  { env, bundle, save }: Ctx,
  strategy: 'refresh' | 'reconcile',
  point: PausePoint,
  name: string,
): Promise<void> {
  const stack = await startSyncStack({
    env,
    bundle,
    title: `record long pause ${strategy}`,
    contacts: point === 'between-chunks' ? 4000 : 300,
    adjust: (raw) => {
      raw.clients[0].lists[1].enabled = false;
      raw.clients[0].concurrency = 1;
      Object.assign(raw.clients[0].lists[0], { strategy, guard: { reexportAfter: '1s' } });
    },
  });
  await stack.admin('/admin/faults', { latencyByOperation: SLOW_BEFORE_PAUSE[point] });
  const worker = await stack.startWorker();
  const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
  await worker.runUntil(async () => {
    const handle = await startNewsletterSync(env, stack, 1);
    await pauseLongAndWithdraw(stack, handle, point);
    await handle.result();
  });
  await save(name, id);
  await stack.stop();
}

async function recordPauseDuringReexport({ env, bundle, save }: Ctx): Promise<void> {
  const stack = await startSyncStack({
    env,
    bundle,
    title: 'record paused during re-export',
    contacts: 300,
    adjust: (raw) => {
      raw.clients[0].lists[1].enabled = false;
      raw.clients[0].concurrency = 1;
      Object.assign(raw.clients[0].lists[0], { guard: { reexportAfter: '1s', maxShrinkPercent: 0 } });
    },
  });
  await stack.runDaily();
  await pauseDuringHeldReexport(stack, env.client);
  await save('list-sync-paused-during-reexport', listSyncWorkflowId(stack.clientKey, 'newsletter'));
  await stack.stop();
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in CASES));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${Object.keys(CASES).join(', ')}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  const bundle = await bundleWorkflows();
  const save: Save = async (name, workflowId) => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(OUT, `${name}.json`), historyToJSON(history));
    console.log(`${name}: ${history.events?.length} events`);
  };
  try {
    for (const name of names.length > 0 ? names : Object.keys(CASES))
      await (CASES[name] as (ctx: Ctx) => Promise<void>)({ env, bundle, save });
  } finally {
    await env.teardown();
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
