// Workflow and schedule ids are business keys. One open workflow per id is what makes
// `list-sync:<client>:<list>` the per-list lock: two refills of one list can never interleave.
export const smokeWorkflowId = (requestedBy: string, startedAt: string): string => `smoke:${requestedBy}:${startedAt}`;
export const listSyncWorkflowId = (client: string, listKey: string): string => `list-sync:${client}:${listKey}`;
export const dailySyncWorkflowId = (client: string, stamp: string): string => `daily-sync:${client}:${stamp}`;
export const responseIngestWorkflowId = (client: string, stamp: string): string => `responses:${client}:${stamp}`;
export const dailySyncScheduleId = (client: string): string => `daily-sync:${client}`;
export const responsesScheduleId = (client: string): string => `responses:${client}`;
/** The run id a daily run's feedback artefacts are filed under: one folder per execution, never shared. */
export const dailyRunArtefactsId = (client: string, runId: string): string => `daily:${client}:${runId}`;
/** One schedule per client and distinct `readyBy` value, e.g. `ready-by:demo:06:00@Europe/Berlin`. */
export const readyByScheduleId = (client: string, readyBy: string): string => `ready-by:${client}:${readyBy.replace(' ', '@')}`;
export const readyByWorkflowId = (client: string, readyBy: string, stamp: string): string =>
  `${readyByScheduleId(client, readyBy)}:${stamp}`;
