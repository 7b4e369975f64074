import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import type { Row } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import { commitPages } from './apply-response-page';
import { pageClassifier, type ClassifiedPage } from './classify-response-page';
import { preparePage, type PreparedPage } from './prepare-response-page';
import { addCounts, emptyCounts, type ResponseCounts } from './response-counts';
import { ResponseLookups } from './response-mapping';
import { RESPONSE_GETTERS, type ResponseGetter } from './response-rows';
import type { ResponseWindow } from './response-windows';

/** A page of one getter: what a checkpoint records. */
export interface PagePosition {
  getterIndex: number;
  startRow: number;
}

/** Where a window's reading stands: the next page to read and what the pages before it came to. */
export interface WindowCheckpoint extends PagePosition {
  counts: ResponseCounts;
}

/** What a window's ingestion needs besides the ports; plain data, so it can cross to another thread. */
export interface WindowSetup {
  client: ClientConfig;
  window: ResponseWindow;
  /** The counts of the pages before the first page handed in (a resumed attempt's checkpoint). */
  counts: ResponseCounts;
  /** The run applied feedback events are recorded under. */
  runId?: string;
}

/**
 * Takes a window's pages in order and applies them to the CRM and the state store. Whoever reads the
 * pages may hand in the next pages before the answers to the ones before (ingestWindow keeps up to
 * MAX_UNANSWERED_PAGES unanswered); they are applied one after the other, and none after a page that failed.
 */
export interface WindowIngester {
  /**
   * Maps one page and, when `commitAt` is given, commits the pages held (this one included) and
   * answers the checkpoint at `commitAt`, the page after them; else answers undefined.
   */
  ingest(at: PagePosition, rows: readonly Row[], commitAt: PagePosition | undefined): Promise<WindowCheckpoint | undefined>;
  /** Drops what the window held; no page is taken after it. */
  close(): Promise<void>;
}

/** Opens a window's ingester; local (this thread) or on the response ingestion thread. */
export type OpenWindowIngester = (setup: WindowSetup) => WindowIngester;

/**
 * Pages whose CRM writes go in one commit: a commit is durable and costs the CRM a sync to disk, so
 * one per page was a large part of ingestion. Memory stays ten pages' events (about 3 MB).
 */
export const PAGES_PER_CRM_COMMIT = 10;

/** The position after the last getter's last page: nothing left to read. */
export const WINDOW_END: PagePosition = { getterIndex: RESPONSE_GETTERS.length, startRow: 0 };

/** A window's pages, classified already, applied in order: what the response ingestion thread runs. */
export interface ClassifiedWindowIngester {
  ingest(at: PagePosition, page: ClassifiedPage, commitAt: PagePosition | undefined): Promise<WindowCheckpoint | undefined>;
  close(): Promise<void>;
}

/**
 * A window's ingester that classifies each page as it is handed in, on the caller's thread (the one
 * reading the pages), and hands the classified page on to `target`. After a page that could not be
 * classified no later page is handed on: applying it would skip the rows of the one that failed.
 */
export function classifyingIngester(setup: WindowSetup, target: ClassifiedWindowIngester): WindowIngester {
  // Event times are judged against Optimizely's clock (the window's end), not the worker's.
  const classify = pageClassifier(setup.client, setup.window.until);
  let refusal: { error: unknown } | undefined;
  return {
    ingest(at, rows, commitAt) {
      if (!refusal) {
        try {
          return target.ingest(at, classify(RESPONSE_GETTERS[at.getterIndex] as ResponseGetter, rows), commitAt);
        } catch (error) {
          refusal = { error };
        }
      }
      return Promise.reject(refusal.error);
    },
    close: () => target.close(),
  };
}

/** A window's ingestion on this thread, against the given store and CRM. */
export function localWindowIngester(ports: { store: StateStore; crm: CrmPort }, setup: WindowSetup): WindowIngester {
  return classifyingIngester(setup, classifiedWindowIngester(ports, setup));
}

/** Applies a window's classified pages to the given store and CRM, in the order handed in. */
export function classifiedWindowIngester(ports: { store: StateStore; crm: CrmPort }, setup: WindowSetup): ClassifiedWindowIngester {
  const { store, crm } = ports;
  const { client } = setup;
  const counts = addCounts(emptyCounts(), setup.counts);
  const pagePorts = {
    client,
    crm,
    lookups: new ResponseLookups({ client, crm, ledger: store.ledger }),
    pendingKeys: new Set<string>(),
    intake: store.feedbackIntake,
    runId: setup.runId,
    suppressions: store.suppressions,
  };
  let prepared: PreparedPage[] = [];
  const ingestOne = async (page: ClassifiedPage, commitAt: PagePosition | undefined) => {
    prepared.push(await preparePage(page, pagePorts, counts));
    if (!commitAt) return undefined;
    const committing = prepared;
    prepared = [];
    await commitPages(committing, pagePorts, counts);
    // A copy: the live counts go on with the pages after it.
    return { ...commitAt, counts: addCounts(emptyCounts(), counts) };
  };
  // Pages are taken in the order handed in, one after the other, even when the next is handed in
  // before the answer to the one before; after a failed page, no later page is applied.
  let queue: Promise<WindowCheckpoint | undefined> = Promise.resolve(undefined);
  return {
    ingest(_at, page, commitAt) {
      queue = queue.then(() => ingestOne(page, commitAt));
      return queue;
    },
    async close() {
      prepared = [];
    },
  };
}
