import { documentClient } from '../../data/client.ts';
import { userLinks } from '../../data/user-links.ts';
import { lazy, table } from '../deps-base.ts';

export const links = /* @__PURE__ */ lazy(() => userLinks(documentClient, table()));
