import { documentClient } from '../../data/client.ts';
import { timelineRepo } from '../../data/timeline.ts';
import { lazy, table } from '../deps-base.ts';

/** Accounts' timelines (entries written by the repositories and the publisher below). */
export const timeline = /* @__PURE__ */ lazy(() => timelineRepo(documentClient, table()));
