import type { RunConsent } from '../run-types';

/** The `runs.opt_in_id` and `runs.media_type` columns of a row (migration 14). */
export interface RunConsentColumns {
  opt_in_id: string | null;
  media_type: string | null;
  /** The Optimizely list id the run sent to (migration 15); null when unknown. */
  optimizely_list_id: number | string | null;
}

/**
 * The run's consent as a record field: `{ consent }` when both columns are known, else nothing (a run
 * recorded before migration 14 sent under a consent nobody wrote down, so readers fall back to today's).
 */
export function runConsentField(row: RunConsentColumns): { consent?: RunConsent; listId?: number } {
  return {
    ...(row.opt_in_id !== null && row.media_type !== null ? { consent: { optInId: row.opt_in_id, mediaType: row.media_type } } : {}),
    ...(row.optimizely_list_id !== null ? { listId: Number(row.optimizely_list_id) } : {}),
  };
}
