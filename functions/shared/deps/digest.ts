import { digestStore } from '../../data/alerts.ts';
import { documentClient } from '../../data/client.ts';
import { lazy, table } from '../deps-base.ts';

export const digest = /* @__PURE__ */ lazy(() => digestStore(documentClient, table()));
