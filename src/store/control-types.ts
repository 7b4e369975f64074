import type { JsonObject } from './json-types';

/** Whether a synchronised list is paused (it stays so across days until resumed), by whom and why. */
export interface ListControl {
  client: string;
  listKey: string;
  paused: boolean;
  by: string;
  reason: string;
  at: string;
}

/** An operator's action (pause, resume, approve, reject, rerun, ...): append-only audit. */
export interface OperatorAction {
  /** Optional idempotency key (e.g. workflow id + signal); a repeated id is recorded once. */
  actionId?: string;
  actor: string;
  action: string;
  client: string;
  listKey: string | null;
  reason: string;
  at: string;
  details?: JsonObject;
}

export interface OperatorActionFilter {
  client?: string;
  listKey?: string;
  limit?: number;
}
