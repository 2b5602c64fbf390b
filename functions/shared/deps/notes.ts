import { documentClient } from '../../data/client.ts';
import { noteRepo } from '../../data/notes.ts';
import { lazy, table } from '../deps-base.ts';

export const notes = /* @__PURE__ */ lazy(() => noteRepo(documentClient, table()));
