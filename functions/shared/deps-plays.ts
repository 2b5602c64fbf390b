import { stepFunctionsRunner } from '../adapters/sfn-runner.ts';
import { documentClient } from '../data/client.ts';
import { holdoutRepo } from '../data/holdouts.ts';
import { runRepo } from '../data/runs.ts';
import { taskRepo } from '../data/tasks.ts';
import { variantCounts } from '../data/variant-counts.ts';
import { envVar, lazy, table } from './deps-base.ts';

// The composition root's plays part (functions/shared/deps.ts): runs, their tasks and holdouts, the state machines.

export const runs = /* @__PURE__ */ lazy(() => runRepo(documentClient, table()));
/** Holdout ends (issue 17, docs/holdouts.md). */
export const holdouts = /* @__PURE__ */ lazy(() => holdoutRepo(documentClient, table()));
export const variantEmailCounts = /* @__PURE__ */ lazy(() => variantCounts(documentClient, table()));
export const tasks = /* @__PURE__ */ lazy(() => taskRepo(documentClient, table()));
/** Play runs, on the state machines in PLAY_STATE_MACHINES (a JSON map of play id to ARN). */
export const runner = /* @__PURE__ */ lazy(() => stepFunctionsRunner(JSON.parse(envVar('PLAY_STATE_MACHINES')) as Record<string, string>));
