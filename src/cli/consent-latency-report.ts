import {
  CONSENT_LATENCY_STEP,
  mergeMinutes,
  summariseMinutes,
  type ConsentStage,
  type ConsentStageSummary,
} from '../alerts/consent-latency-summary';
import type { StateStore } from '../store/state-store';
import type { JsonObject, RunRecord, StepRecord } from '../store/types';

/** The consent-latency section of `report <run>` (docs/operations.md, "Consent latency"). */
export interface ConsentLatencyReport {
  objectiveHours: number;
  stages: Partial<Record<ConsentStage, ConsentStageSummary>>;
}

/**
 * A daily run: stage ledger from the opt-outs its feedback phase recorded, stage list from its lists'
 * runs. A list run: its own stage list. Undefined for other runs.
 */
export async function consentLatencyOfRun(
  store: StateStore,
  run: RunRecord,
  steps: readonly StepRecord[],
  objectiveHours: number,
): Promise<ConsentLatencyReport | undefined> {
  const objectiveMinutes = objectiveHours * 60;
  if (run.kind === 'list') {
    const own = steps.find((step) => step.name === CONSENT_LATENCY_STEP);
    return { objectiveHours, stages: own ? { list: summariseMinutes(mergeMinutes(minutesOf(own.details)), objectiveMinutes) } : {} };
  }
  if (run.kind !== 'daily') return undefined;
  const stages: ConsentLatencyReport['stages'] = {};
  const feedback = steps.find((step) => step.name === 'feedback');
  if (feedback) {
    const ledger = await store.suppressions.latencyMinutes(run.client, feedback.startedAt, feedback.endedAt ?? new Date().toISOString());
    stages.ledger = summariseMinutes(ledger, objectiveMinutes);
  }
  const listRunIds = listRunIdsOf(steps.find((step) => step.name === 'lists')?.details);
  if (listRunIds.length > 0) {
    const perList = await Promise.all(
      listRunIds.map(async (runId) => (await store.runs.steps(runId)).find((step) => step.name === CONSENT_LATENCY_STEP)),
    );
    stages.list = summariseMinutes(mergeMinutes(...perList.map((step) => (step ? minutesOf(step.details) : {}))), objectiveMinutes);
  }
  return { objectiveHours, stages };
}

export function consentLatencyLines(report: ConsentLatencyReport | undefined): string[] {
  if (!report) return [];
  const stages = Object.entries(report.stages) as Array<[ConsentStage, ConsentStageSummary]>;
  if (stages.length === 0) return [`  consent latency (objective ${report.objectiveHours} h): not measured in this run`];
  return [
    `  consent latency (objective ${report.objectiveHours} h), from Optimizely's event time:`,
    ...stages.map(([stage, s]) =>
      s.count === 0
        ? `    ${STAGE_NAMES[stage]}: no opt-outs`
        : `    ${STAGE_NAMES[stage]}: ${s.count} opt-outs, median ${duration(s.medianMinutes)}, p95 ${duration(s.p95Minutes)}, max ${duration(s.maxMinutes)}, ${s.overObjective} over the objective`,
    ),
  ];
}

const STAGE_NAMES: Record<ConsentStage, string> = { ledger: 'to the suppression ledger', list: 'to the list refills' };

function duration(minutes: number | null): string {
  if (minutes === null) return '-';
  const h = Math.floor(minutes / 60);
  return h === 0 ? `${minutes} min` : `${h} h ${minutes % 60} min`;
}

function minutesOf(details: JsonObject): Record<string, unknown> {
  const minutes = details.minutes;
  return minutes && typeof minutes === 'object' && !Array.isArray(minutes) ? minutes : {};
}

function listRunIdsOf(details: JsonObject | undefined): string[] {
  const lists = details?.lists;
  if (!lists || typeof lists !== 'object' || Array.isArray(lists)) return [];
  return Object.values(lists).flatMap((list) =>
    list && typeof list === 'object' && !Array.isArray(list) && typeof list.runId === 'string' ? [list.runId] : [],
  );
}
