import { documentClient } from '../../data/client.ts';
import { suppressionList } from '../../data/email.ts';
import { lazy, table } from '../deps-base.ts';

export const suppressions = /* @__PURE__ */ lazy(() => suppressionList(documentClient, table()));
