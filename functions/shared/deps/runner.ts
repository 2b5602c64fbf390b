import { stepFunctionsRunner } from '../../adapters/sfn-runner.ts';
import { envVar, lazy } from '../deps-base.ts';

/** Play runs, on the state machines in PLAY_STATE_MACHINES (a JSON map of play id to ARN). */
export const runner = /* @__PURE__ */ lazy(() => stepFunctionsRunner(JSON.parse(envVar('PLAY_STATE_MACHINES')) as Record<string, string>));
