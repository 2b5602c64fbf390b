import { documentClient } from '../../data/client.ts';
import { scoreStates } from '../../data/score-states.ts';
import { lazy, table } from '../deps-base.ts';

/** The score states the scoring runs keep for the weekly review. */
export const scoreStateRepo = /* @__PURE__ */ lazy(() => scoreStates(documentClient, table()));
