import { documentClient } from '../../data/client.ts';
import { heldSends } from '../../data/sends.ts';
import { lazy, table } from '../deps-base.ts';

export const held = /* @__PURE__ */ lazy(() => heldSends(documentClient, table()));
