// The Optimizely Campaign operations the pipeline uses, as activities see them. Activities depend on
// this interface; createOptimizelyClient implements it over SOAP, test/helpers/fake-optimizely.ts in
// memory. One input object per method; ids are numbers (they fit in 2^53), rows are string cells
// with null for empty (xsi:nil) fields.
import type { ResultCode } from '../api/result-codes';
import type { ClientPermits } from './call-permits';
import type { ClosedLoopGetter } from '../api/services/closed-loop';

export interface CallOptions {
  /** Aborts the call (including the wait for a free connection); the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Limit for one HTTP exchange; overrides the client's default. */
  timeoutMs?: number;
}

export type Cell = string | null;
export type Row = Cell[];

export interface AddAll3Input {
  listId: number;
  /** 0 = no opt-in process. */
  optinProcessId: number;
  /** At most 1000; addresses and attributeValues are parallel to it. */
  recipientIds: readonly string[];
  addresses: readonly string[];
  attributeNames: readonly string[];
  /** One row per recipient, one cell per attribute name. */
  attributeValues: readonly (readonly Cell[])[];
}

export interface SetAttributesInBatchInput {
  listId: number;
  recipientIds: readonly string[];
  /** The same names for every recipient. */
  attributeNames: readonly string[];
  attributeValues: readonly (readonly Cell[])[];
}

export interface GetAllAdvancedInput {
  listId: number;
  attributeNames: readonly string[];
  /** 0 (default) = no recipient filter. */
  filterId?: number;
  /** null (default) = unsorted. */
  orderBy?: string | null;
  ascending?: boolean;
  /** 0-based row offset (the real semantics are undocumented; the simulator reads it so). */
  pageStart: number;
  pageSize: number;
}

/** Window on the time ClosedLoop data batches were produced (server time, ms), one page of rows. */
export interface ClosedLoopPageInput {
  since: number;
  until: number;
  startRow: number;
  /** At most 1000. */
  numberOfRows: number;
}

export interface RecipientPort {
  clear(input: { listId: number }, options?: CallOptions): Promise<void>;
  /** One result code per recipient, in input order. */
  addAll3(input: AddAll3Input, options?: CallOptions): Promise<ResultCode[]>;
  setAttributesInBatch(input: SetAttributesInBatchInput, options?: CallOptions): Promise<void>;
  /** At most 1000 ids; one answer per id, in input order: true removed, false was not on the list. */
  removeAll(input: { listId: number; recipientIds: readonly string[] }, options?: CallOptions): Promise<boolean[]>;
  getCount(input: { listId: number; filterId?: number }, options?: CallOptions): Promise<number>;
  getAllAdvanced(input: GetAllAdvancedInput, options?: CallOptions): Promise<Row[]>;
  /** The same page as getAllAdvanced, answered flat (row-major) and split back into rows of `attributeNames.length` cells. */
  getAllAdvancedFlat(input: GetAllAdvancedInput, options?: CallOptions): Promise<Row[]>;
}

export interface RecipientListPort {
  getAllIds(options?: CallOptions): Promise<number[]>;
  getName(input: { listId: number }, options?: CallOptions): Promise<string | null>;
  /** Counts recipient lists, not recipients. */
  getCount(input: { includeTestLists: boolean }, options?: CallOptions): Promise<number>;
  getAttributeNames(input: { listId: number; locale: string }, options?: CallOptions): Promise<Cell[]>;
}

export interface OptinProcessPort {
  /** The ids of the client's opt-in processes. */
  getIds(options?: CallOptions): Promise<number[]>;
}

export type ClosedLoopPort = {
  getCurrentTime(options?: CallOptions): Promise<number>;
} & { [getter in ClosedLoopGetter]: (input: ClosedLoopPageInput, options?: CallOptions) => Promise<Row[]> };

export interface UnsubscribePort {
  contains(input: { recipientId: string }, options?: CallOptions): Promise<boolean>;
  containsAll(input: { recipientIds: readonly string[] }, options?: CallOptions): Promise<boolean[]>;
  /** listId 0 (default) = the client-wide unsubscribe list. */
  add(input: { recipientId: string; listId?: number }, options?: CallOptions): Promise<void>;
}

export interface OptimizelyPort {
  readonly mandatorId: number;
  readonly recipient: RecipientPort;
  readonly recipientList: RecipientListPort;
  readonly optinProcess: OptinProcessPort;
  readonly closedLoop: ClosedLoopPort;
  readonly unsubscribe: UnsubscribePort;
  /** Logs in now rather than on the first call, so bad credentials surface early. */
  login(options?: CallOptions): Promise<void>;
  /** Logs out and releases connections; calls after close() fail. */
  close(): Promise<void>;
  /**
   * What a second client of the same account needs on another thread (src/plan/live-read-thread.ts):
   * the options and this client's budget, which that client's calls take their slots from. A function,
   * not a field, so that the password never lands in a serialised port. Absent on fakes.
   */
  threadSpec?(): OptimizelyThreadSpec;
}

/** The options (password included) and the budget of one client, for a client on a worker thread. */
export interface OptimizelyThreadSpec {
  options: {
    baseUrl: string;
    mandatorId: number;
    username: string;
    password: string;
    concurrency: number;
    timeoutMs: number;
    sessionRenewAfterMs: number;
    paramNaming: 'named' | 'positional';
  };
  permits: ClientPermits;
}
