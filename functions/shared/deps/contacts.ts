import { documentClient } from '../../data/client.ts';
import { contactRepo } from '../../data/contacts.ts';
import { lazy, table } from '../deps-base.ts';

export const contacts = /* @__PURE__ */ lazy(() => contactRepo(documentClient, table()));
