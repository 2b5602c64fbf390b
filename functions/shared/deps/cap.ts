import { documentClient } from '../../data/client.ts';
import { frequencyCap } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const cap = /* @__PURE__ */ lazy(() => frequencyCap(documentClient, table()));
