/**
 * Task queue names are part of the public API: renaming one strands running executions and
 * schedules. A breaking change to workflow code that cannot be patched gets a new versioned name.
 */
export const TASK_QUEUE = 'campaign-sync';

/** The longest task queue name taken: far beyond any real one, well within Temporal's limit on names. */
export const MAX_TASK_QUEUE_LENGTH = 200;

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * Why a task queue name is not usable, or undefined. The worker polls the name it is given and the
 * CLI starts workflows and schedules on the name it is given: a stray blank or control character on
 * one side (`CAMPAIGN_SYNC_TASK_QUEUE=campaign-sync ` in an env file) makes the two differ, and the
 * workflows then wait on a queue no worker polls, silently. The problem is refused on both sides.
 */
export function taskQueueProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  if (name !== name.trim()) return 'has white space at its start or end';
  if (name.length > MAX_TASK_QUEUE_LENGTH) return `is longer than ${MAX_TASK_QUEUE_LENGTH} characters (${name.length})`;
  const bad = INVISIBLE.exec(name);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `contains a control or invisible character (U+${code} at position ${bad.index})`;
  }
  return undefined;
}
