import type { UsageEvent } from '../core/types.ts';

/** The string sets of an account-day item that usage events add to (docs/data-model.md). */
export type RollupSets = Record<'users' | 'features' | 'userFeatures' | 'sessions' | 'sessionSeconds' | 'departments' | 'apiUsers' | 'trainings', Set<string>>;

/**
 * What a set of events adds to their account-day's rollup: set members only, so adding the same
 * event twice changes nothing. `trainings` (`user|course`) also go to the account, which keeps
 * them beyond the usage window.
 */
export function rollupOf(events: UsageEvent[]): RollupSets {
  const sets: RollupSets = {
    users: new Set(),
    features: new Set(),
    userFeatures: new Set(),
    sessions: new Set(),
    sessionSeconds: new Set(),
    departments: new Set(),
    apiUsers: new Set(),
    trainings: new Set(),
  };
  for (const e of events) {
    const p = e.properties ?? {};
    sets.users.add(e.userId);
    if (p.department) sets.departments.add(p.department);
    if (p.sessionId) sets.sessions.add(`${e.userId}|${p.sessionId}`);
    // Durations as set entries, the longest per session counting: heartbeats add nothing.
    if (p.sessionId && p.durationSeconds !== undefined) sets.sessionSeconds.add(`${e.userId}|${p.sessionId}|${p.durationSeconds}`);
    if (e.name.startsWith('api.') || p.source === 'api') sets.apiUsers.add(e.userId);
    if (isTraining(e)) sets.trainings.add(`${e.userId}|${p.course}`);
    if (p.feature) {
      sets.features.add(p.feature);
      sets.userFeatures.add(`${e.userId}|${p.feature}`);
    }
  }
  return sets;
}

export const isTraining = (e: UsageEvent) => e.name === 'training.completed' && !!e.properties?.course;
