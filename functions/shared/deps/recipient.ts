import { documentClient } from '../../data/client.ts';
import { recipientReads } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const recipient = /* @__PURE__ */ lazy(() => recipientReads(documentClient, table()));
