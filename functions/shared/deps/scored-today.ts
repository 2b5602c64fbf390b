import { documentClient } from '../../data/client.ts';
import { scoredTodayRepo } from '../../data/scored-today.ts';
import { lazy, table } from '../deps-base.ts';

/** What the rescorings scored today, per shard: the daily run's record (functions/data/scored-today.ts). */
export const scoredToday = /* @__PURE__ */ lazy(() => scoredTodayRepo(documentClient, table()));
