import type { JsonObject, JsonValue, StepRecord } from '../store/types';
import { fieldLine, shownField, shownText } from './terminal-text';

// The daily run's phases in the order they run; a step the store holds under another name follows them.
const PHASE_ORDER = ['feedback', 'lists', 'responses', 'retention'];

/**
 * The steps of a daily run (`report <daily run id>`) as report lines: one per phase with its outcome
 * and times, then each list's end state with the run id of its list sync (`report <that id>`).
 */
export function dailyRunLines(steps: readonly StepRecord[]): string[] {
  if (steps.length === 0) return ['  no phase recorded yet'];
  const rank = (name: string) => (PHASE_ORDER.includes(name) ? PHASE_ORDER.indexOf(name) : PHASE_ORDER.length);
  const ordered = [...steps].sort((a, b) => rank(a.name) - rank(b.name));
  return ['  phases:', ...ordered.flatMap(stepLines)];
}

function stepLines(step: StepRecord): string[] {
  const head = `    ${shownField(step.name).padEnd(10)} ${shownField(step.status).padEnd(9)} ${timeOf(step.startedAt)}-${step.endedAt ? timeOf(step.endedAt) : '...'}`;
  const details = step.details;
  const extra = [
    typeof details.runId === 'string' ? fieldLine`run ${details.runId}` : undefined,
    typeof details.artefacts === 'string' ? fieldLine`artefacts ${details.artefacts}` : undefined,
    typeof details.error === 'string' ? `error: ${shownText(details.error)}` : undefined,
    countsText(details),
  ].filter((part): part is string => part !== undefined && part !== '');
  return [extra.length > 0 ? `${head}  ${extra.join('; ')}` : head, ...listLines(details.lists)];
}

function timeOf(iso: string): string {
  return shownField(iso.slice(11, 19));
}

/** The numbers a phase recorded (feedback: bounces, unsubscribes). */
function countsText(details: JsonObject): string {
  return Object.entries(details)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => fieldLine`${key} ${value}`)
    .join(', ');
}

function listLines(lists: JsonValue | undefined): string[] {
  if (!lists || typeof lists !== 'object' || Array.isArray(lists)) return [];
  return Object.entries(lists)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => {
      const list = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
      const state = typeof list.state === 'string' ? list.state : 'unknown';
      const runId = typeof list.runId === 'string' ? fieldLine` (run ${list.runId})` : ' (not started)';
      return `      ${shownField(key).padEnd(12)} ${shownField(state)}${runId}`;
    });
}
