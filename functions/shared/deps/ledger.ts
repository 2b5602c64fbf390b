import { documentClient } from '../../data/client.ts';
import { sendLedger } from '../../data/sends.ts';
import { lazy, table } from '../deps-base.ts';

export const ledger = /* @__PURE__ */ lazy(() => sendLedger(documentClient, table()));
