import { documentClient } from '../../data/client.ts';
import { sendConfirmations } from '../../data/sends.ts';
import { lazy, table } from '../deps-base.ts';

export const confirmations = /* @__PURE__ */ lazy(() => sendConfirmations(documentClient, table()));
