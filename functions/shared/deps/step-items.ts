import { documentClient } from '../../data/client.ts';
import { stepItems as stepItemsReader } from '../../data/step-items.ts';
import { lazy, table } from '../deps-base.ts';

/** A play step's run, account and score in one read. */
export const stepItems = /* @__PURE__ */ lazy(() => stepItemsReader(documentClient, table()));
