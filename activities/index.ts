import { createStackActivities } from './stack';

/** Ports the activities need; grows as systems are added (Optimizely, CRM, state store). */
export type ActivityDependencies = Record<string, never>;

/** Builds every activity the worker registers, each group with only the ports it uses. */
export function createActivities(_deps: ActivityDependencies = {}) {
  return {
    ...createStackActivities(),
  };
}
