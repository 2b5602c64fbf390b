import { documentClient } from '../../data/client.ts';
import { scoringInputs as scoringInputsRepo } from '../../data/scoring-inputs.ts';
import { lazy, table } from '../deps-base.ts';

/** Everything scoring reads for an account, in one Query. */
export const scoringInputs = /* @__PURE__ */ lazy(() => scoringInputsRepo(documentClient, table()));
